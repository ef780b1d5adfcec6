"""How guessable a WEBUI_SECRET_KEY is (rule OW204): a tiny, dependency-free, zxcvbn-like estimate.

Every JWT Open WebUI issues is an HS256 signature made with this key, so a key a person typed
(`aaaa…`, `qwerty123`, `Changeme2024`) lets anyone who guesses it forge an admin session. We
estimate the entropy of the way the key was most likely *made*, not of its characters: a long
repetition of one character has the length of a strong key and the strength of a 5-bit one.

The description of a weakness never quotes the key or any part of it (only counts and kinds),
because findings end up in CI logs and SARIF files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

# Character classes and their sizes (ASCII printable; anything else counts as a symbol).
_LOWER, _UPPER, _DIGITS, _SYMBOLS = 26, 26, 10, 33

# English text carries about 2.3 bits per letter once you know it is made of words.
_BITS_PER_WORD_LETTER = 2.3
_WORD_SEPARATORS = "-_."
# Runs of ASCII letters (words joined by - _ .) and runs of anything else; CamelCase words.
_GROUPS = re.compile(r"[A-Za-z]+(?:[-_.][A-Za-z]+)*|[^A-Za-z]+")
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_MAX_WORD_RUNS = 3
_VOWELS = frozenset("aeiouy")
# About 250 of the 676 letter pairs make up nearly all English text; random letters hit them
# about a third of the time, words nearly always. A cheap stand-in for a dictionary.
_COMMON_BIGRAMS = frozenset("""
th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me
de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot
il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai
sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo av ag
if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du ga qu ue ff ba
ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki
rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu sw nk eb ja jo ju ka ko sk sm
sn ey oa ya yl ym nn dd gg ze zo za
""".split())
_MIN_COMMON_BIGRAMS = 0.75
_MIN_COMMON_BIGRAMS_LONG = 0.7
_LONG_TEXT_PAIRS = 24

# A run must be at least this long, and runs must cover this share of the key to count.
_MIN_RUN = 3
_RUN_COVERAGE = 0.8

# Sequences people slide along: (kind, characters in order, start points an attacker tries).
# Letters are folded to lower case first; shifted keyboard rows are listed as their own rows.
_KEYBOARD_KEYS = 47
_SEQUENCES: tuple[tuple[str, str, int], ...] = (
    ("alphabet", "abcdefghijklmnopqrstuvwxyz", 26),
    ("digit", "0123456789", 10),
    ("keyboard", "`1234567890-=", _KEYBOARD_KEYS),
    ("keyboard", "qwertyuiop[]\\", _KEYBOARD_KEYS),
    ("keyboard", "asdfghjkl;'", _KEYBOARD_KEYS),
    ("keyboard", "zxcvbnm,./", _KEYBOARD_KEYS),
    ("keyboard", "~!@#$%^&*()_+", _KEYBOARD_KEYS),
    ("keyboard", "qwertyuiop{}|", _KEYBOARD_KEYS),
    ("keyboard", "asdfghjkl:\"", _KEYBOARD_KEYS),
    ("keyboard", "zxcvbnm<>?", _KEYBOARD_KEYS),
)
_SEQUENCE_INDEX: tuple[dict[str, int], ...] = tuple(
    {char: position for position, char in enumerate(chars)} for _, chars, _ in _SEQUENCES
)
_SHIFTED = frozenset("~!@#$%^&*()_+{}|:\"<>?")


@dataclass(frozen=True, slots=True)
class Strength:
    """An entropy estimate and, when a pattern made the key weak, what kind of pattern (never the key)."""

    bits: float  # estimated entropy of how the key was likely made
    weakness: str | None  # None, or a description that never quotes the key or any part of it


def _class_size(char: str) -> int:
    if "a" <= char <= "z":
        return _LOWER
    if "A" <= char <= "Z":
        return _UPPER
    if "0" <= char <= "9":
        return _DIGITS
    return _SYMBOLS


def _brute_force_bits(key: str) -> float:
    """The baseline: every character drawn at random from the classes the key uses."""
    lower = upper = digits = symbols = False
    for char in key:
        if "a" <= char <= "z":
            lower = True
        elif "A" <= char <= "Z":
            upper = True
        elif "0" <= char <= "9":
            digits = True
        else:
            symbols = True
    alphabet = lower * _LOWER + upper * _UPPER + digits * _DIGITS + symbols * _SYMBOLS
    return len(key) * math.log2(alphabet) if alphabet else 0.0


def _longest_periodic_prefix(text: str) -> tuple[int, int]:
    """(length, period) of the longest prefix that repeats a period at least twice, or (0, 0).

    Uses the KMP prefix function, so the whole search is O(len): the smallest period of text[:L]
    is L - border(L), and the prefix is a repetition (a partial last copy allowed) when that is <= L/2.
    """
    border = [0] * len(text)
    for i in range(1, len(text)):
        k = border[i - 1]
        while k and text[i] != text[k]:
            k = border[k - 1]
        if text[i] == text[k]:
            k += 1
        border[i] = k
    for length in range(len(text), 1, -1):
        period = length - border[length - 1]
        if 2 * period <= length:
            return length, period
    return 0, 0


def _article(count: int) -> str:
    """`an 8-character pattern`, `an 11-character pattern`, `a 4-character pattern`."""
    digits = str(count)
    return "an" if digits.startswith("8") or (len(digits) % 3 == 2 and digits[:2] in ("11", "18")) else "a"


def _repeated_part(segment: str) -> tuple[float, str] | None:
    """Bits and words for a segment that repeats a period at least twice (already checked)."""
    length, period = _longest_periodic_prefix(segment)
    if length != len(segment):
        return None
    if period == 1:
        return math.log2(_class_size(segment[0])) + math.log2(length), f"one character repeated {length} times"
    copies, partial = divmod(length, period)
    bits = estimate(segment[:period]).bits + math.log2(length / period)
    words = f"{_article(period)} {period}-character pattern repeated {copies} times"
    return bits, words + (" and partly once more" if partial else "")


def _repetition(key: str) -> Strength | None:
    """(a) one character repeated, or (b) a short pattern repeated (a partial last copy allowed).

    Repetitions at the start and/or the end must cover at least 80% of the key (`aaaa…a1`,
    `aaaa…1111…`); whatever is left is counted as random characters, so a chance repeat inside a
    random key never wins.
    """
    n = len(key)
    head, _ = _longest_periodic_prefix(key)
    tail, _ = _longest_periodic_prefix(key[::-1])
    # (head, tail) lengths to try: the head alone, the tail alone, or both when they do not overlap.
    splits = [(head, 0), (0, tail)]
    if head and tail and head + tail <= n:
        splits.append((head, tail))
    best: Strength | None = None
    for head_length, tail_length in splits:
        if head_length + tail_length < _RUN_COVERAGE * n:
            continue
        bits = 0.0
        pieces: list[str] = []
        middle = key[head_length : n - tail_length]
        for segment in (key[:head_length], middle, key[n - tail_length :]):
            if not segment:
                continue
            repeated = None if segment is middle else _repeated_part(segment)
            if repeated is None:
                bits += _brute_force_bits(segment)
                pieces.append(f"{len(segment)} other character" + ("" if len(segment) == 1 else "s"))
            else:
                bits += repeated[0]
                pieces.append(repeated[1])
        if best is None or bits < best.bits:
            best = Strength(bits, ", then ".join(pieces))
    return best


def _longest_run(folded: str, start: int) -> tuple[int, int]:
    """The longest ascending or descending run starting at `start`: (length, index into _SEQUENCES)."""
    best_length, best_sequence = 1, -1
    first = folded[start]
    for number, index in enumerate(_SEQUENCE_INDEX):
        position = index.get(first)
        if position is None:
            continue
        for step in (1, -1):
            length = 1
            expected = position + step
            while start + length < len(folded) and index.get(folded[start + length]) == expected:
                length += 1
                expected += step
            # Longer wins; on a tie the sequence with fewer start points (cheaper to guess) wins.
            if length > best_length or (
                length == best_length and best_sequence >= 0 and _SEQUENCES[number][2] < _SEQUENCES[best_sequence][2]
            ):
                best_length, best_sequence = length, number
    return best_length, best_sequence


def _runs(key: str) -> Strength | None:
    """(c) the key (or at least 80% of it) slides along the alphabet, the digits or a keyboard row."""
    folded = key.lower() if key.isascii() else "".join(c.lower() if c.isascii() else c for c in key)
    bits = 0.0
    covered = 0
    kinds: list[str] = []
    i = 0
    while i < len(key):
        length, sequence = _longest_run(folded, i)
        if length >= _MIN_RUN:
            kind, _, starts = _SEQUENCES[sequence]
            bits += math.log2(starts * 2) + math.log2(length)
            segment = key[i : i + length]
            if any("A" <= c <= "Z" or c in _SHIFTED for c in segment):
                bits += 1.0  # shift held (or caps lock) for the run
            covered += length
            kinds.append(kind)
            i += length
        else:
            bits += math.log2(_class_size(key[i]))
            i += 1
    if not kinds or covered < _RUN_COVERAGE * len(key):
        return None
    distinct = sorted(set(kinds), key=("alphabet", "digit", "keyboard").index)
    if len(kinds) == 1:
        article = "an" if distinct[0] == "alphabet" else "a"
        return Strength(bits, f"{article} {distinct[0]} run")
    return Strength(bits, " and ".join(distinct) + " runs")


def _looks_like_words(segments: list[str]) -> bool:
    """Cheap plausibility without a dictionary: common letter pairs, vowels, no long consonant cluster."""
    pairs = [segment[i : i + 2].lower() for segment in segments for i in range(len(segment) - 1)]
    # Long text may carry a few more rare pairs (`thequickbrownfox...`): random letters still hit
    # common ones only about a third of the time.
    share = _MIN_COMMON_BIGRAMS_LONG if len(pairs) >= _LONG_TEXT_PAIRS else _MIN_COMMON_BIGRAMS
    if len(pairs) < 2 or sum(pair in _COMMON_BIGRAMS for pair in pairs) < share * len(pairs):
        return False
    lowered = "".join(segments).lower()
    vowels = sum(1 for c in lowered if c in _VOWELS)
    if vowels < 0.25 * len(lowered):
        return False
    cluster = longest = 0
    for c in lowered:
        cluster = 0 if c in _VOWELS else cluster + 1
        longest = max(longest, cluster)
    if longest > 5:
        return False
    # No English word has one letter three times in a row.
    return all(not (a == b == c) for a, b, c in zip(lowered, lowered[1:], lowered[2:]))


def _camel_words(segment: str) -> list[str] | None:
    """`OpenWebUI` -> Open, Web, UI; None when the case changes the way random letters do (`aBcD`)."""
    words = _CAMEL_WORD.findall(segment)
    if any(len(word) == 1 and word not in "AI" for word in words) and len(words) > 1:
        return None
    return words


def _words_bits(group: str) -> tuple[float, list[str]] | None:
    """Bits of a run of words joined by - _ . or written in CamelCase, and its words; None if not words."""
    bits = 0.0
    words: list[str] = []
    segments = re.split(r"[-_.]", group)
    for segment in segments:
        if not segment:
            return None  # two separators in a row, or a leading separator
        camel = _camel_words(segment)
        if camel is None:
            return None
        for word in camel:
            if not word.islower():
                bits += 1.0  # capitalised or in capitals: one choice per word
        words.extend(camel)
    bits += _BITS_PER_WORD_LETTER * sum(len(word) for word in words)
    return bits + (len(segments) - 1) * math.log2(len(_WORD_SEPARATORS)), words


def _word_and_digits(key: str) -> Strength | None:
    """(d) words (lower case, capitalised, CamelCase; joined by - _ .) with digits or symbols around them.

    At most three runs of words: random keys interleave letters and digits far more often, and a
    dictionary-free word test on many short runs would mistake hex for words.
    """
    groups = _GROUPS.findall(key)
    letter_groups = [group for group in groups if group[0].isascii() and group[0].isalpha()]
    if not letter_groups or len(letter_groups) > _MAX_WORD_RUNS:
        return None
    if len(letter_groups) > 1 and min(len(group) for group in letter_groups) < _MIN_RUN:
        return None  # `Tr0ub4dor`: letters broken up by digits are substitutions, not words
    bits = 0.0
    words: list[str] = []
    for group in groups:
        if group in letter_groups:
            read = _words_bits(group)
            if read is None:
                return None
            bits += read[0]
            words.extend(read[1])
        else:
            bits += estimate(group).bits
    if sum(len(word) for word in words) < 3 or not _looks_like_words(words):
        return None
    # Not "a word followed by digits": `password123` contains "wor" and "ord", and the description
    # must not even seem to quote the key.
    rest = "".join(group for group in groups if group not in letter_groups)
    if not rest:
        return Strength(bits, "readable text")
    follows = "digits" if rest.isdigit() and rest.isascii() else "digits or symbols"
    if len(groups) == 2 and groups[0] in letter_groups:
        return Strength(bits, f"readable text, then {follows}")
    return Strength(bits, f"readable text with {follows}")


@lru_cache(maxsize=4096)
def estimate(key: str) -> Strength:
    """Once per distinct key in a run, however many deployments share it (a pure function of the key).

    Lowest estimate among the patterns that apply; `weakness` is None when no pattern beats random."""
    if not key:
        return Strength(0.0, "an empty key")
    best = Strength(_brute_force_bits(key), None)
    for candidate in (_repetition(key), _runs(key), _word_and_digits(key)):
        if candidate is not None and candidate.bits < best.bits:
            best = candidate
    return best
