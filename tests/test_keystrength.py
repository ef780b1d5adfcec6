"""OW204's entropy estimate: weak patterns are found and described without quoting the key."""

from __future__ import annotations

import base64
import math
import secrets
import time

import pytest

from validator.keystrength import Strength, estimate


def test_strength_is_frozen() -> None:
    strength = estimate("a" * 40)
    assert isinstance(strength, Strength)
    with pytest.raises(AttributeError):
        strength.bits = 1.0  # type: ignore[misc]


# --- each weakness kind -------------------------------------------------------------------------
def test_one_repeated_character() -> None:
    strength = estimate("a" * 40)
    assert strength.weakness == "one character repeated 40 times"
    assert strength.bits == pytest.approx(math.log2(26) + math.log2(40))
    assert estimate("7" * 64).bits == pytest.approx(math.log2(10) + math.log2(64))
    assert estimate("*" * 32).bits == pytest.approx(math.log2(33) + math.log2(32))


def test_repeated_character_with_a_short_rest() -> None:
    strength = estimate("x" * 40 + "1234")
    assert strength.weakness == "one character repeated 40 times, then 4 other characters"
    assert strength.bits < 30
    assert estimate("!" + "z" * 30).weakness == "1 other character, then one character repeated 30 times"
    assert estimate("a" * 20 + "1" * 20).weakness == (
        "one character repeated 20 times, then one character repeated 20 times")


def test_repeated_pattern() -> None:
    strength = estimate("k3y!" * 8)
    assert strength.weakness == "a 4-character pattern repeated 8 times"
    assert strength.bits == pytest.approx(estimate("k3y!").bits + math.log2(8))
    assert strength.bits < 40


def test_repeated_pattern_with_a_partial_last_copy() -> None:
    strength = estimate("k3y!" * 8 + "k3")
    assert strength.weakness == "a 4-character pattern repeated 8 times and partly once more"
    assert strength.bits == pytest.approx(estimate("k3y!").bits + math.log2(34 / 4))


def test_repeated_word_says_an_eight() -> None:
    assert estimate("password" * 4).weakness == "an 8-character pattern repeated 4 times"


@pytest.mark.parametrize("key", ["abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkj", "ABCDEFGHIJKLMNOP"])
def test_alphabet_run(key: str) -> None:
    strength = estimate(key)
    assert strength.weakness == "an alphabet run"
    # start point * direction, length, maybe shift
    assert strength.bits <= math.log2(26 * 2) + math.log2(len(key)) + 1
    assert strength.bits < 12


@pytest.mark.parametrize("key", ["qwertyuiop", "asdfghjkl;'", "poiuytrewq", "1234567890-=", "!@#$%^&*()"])
def test_keyboard_run(key: str) -> None:
    strength = estimate(key)
    assert strength.weakness == "a keyboard run"
    assert strength.bits <= math.log2(47 * 2) + math.log2(len(key)) + 1


def test_digit_run() -> None:
    strength = estimate("123456789")
    assert strength.weakness == "a digit run"
    assert strength.bits == pytest.approx(math.log2(20) + math.log2(9))


def test_mixed_runs_and_nearly_whole_key() -> None:
    assert estimate("qwerty123456").weakness == "digit and keyboard runs"
    assert estimate("abcdefghij0123456789").weakness == "alphabet and digit runs"
    # 16 of 19 characters (84%) are runs: still a run key.
    strength = estimate("sk-1234567890abcdef")
    assert strength.weakness == "alphabet and keyboard runs"
    assert strength.bits < 40


@pytest.mark.parametrize(("key", "weakness"), [
    ("password123", "readable text, then digits"),
    ("Summer2024", "readable text, then digits"),
    ("changeme", "readable text"),
    ("Password2024!", "readable text, then digits or symbols"),
    ("my-super-secret-key", "readable text"),
    ("openwebui_secret_2024", "readable text, then digits or symbols"),
    ("Open.Source.Secret.99", "readable text, then digits or symbols"),
])
def test_word_followed_by_digits(key: str, weakness: str) -> None:
    strength = estimate(key)
    assert strength.weakness == weakness
    assert strength.bits < 70


def test_word_bits_per_letter_and_digit_run() -> None:
    # 8 letters at 2.3 bits, then an ascending digit run instead of 6 random digits.
    strength = estimate("sunshine123456")
    assert strength.weakness == "readable text, then digits"
    assert strength.bits == pytest.approx(8 * 2.3 + math.log2(20) + math.log2(6))
    random_digits = estimate("sunshine730619")
    assert random_digits.bits == pytest.approx(8 * 2.3 + 6 * math.log2(10))


def test_empty_key() -> None:
    assert estimate("") == Strength(0.0, "an empty key")


@pytest.mark.parametrize("key", ["t0p-s3cr3t", "Tr0ub4dor&3", "xK9#mQ2$vL"])
def test_no_pattern_means_brute_force(key: str) -> None:
    strength = estimate(key)
    assert strength.weakness is None
    classes = {"lower": 26, "upper": 26, "digit": 10, "symbol": 33}
    present = {("lower" if c.islower() else "upper" if c.isupper() else "digit" if c.isdigit() else "symbol")
               for c in key}
    assert strength.bits == pytest.approx(len(key) * math.log2(sum(classes[name] for name in present)))


# --- random keys are never flagged --------------------------------------------------------------
RANDOM_KEYS = {
    "openssl rand -hex 32": lambda: secrets.token_hex(32),
    "secrets.token_urlsafe(32)": lambda: secrets.token_urlsafe(32),
    "base64 of 24 random bytes": lambda: base64.b64encode(secrets.token_bytes(24)).decode(),
}


@pytest.mark.parametrize("kind", list(RANDOM_KEYS))
def test_random_keys_are_strong(kind: str) -> None:
    for _ in range(200):
        strength = estimate(RANDOM_KEYS[kind]())
        assert strength.weakness is None
        assert strength.bits >= 128


# --- the weakness never quotes the key ----------------------------------------------------------
WEAK_KEYS = [
    "a" * 40,
    "Z" * 32,
    "secretsecretsecretsecret",
    "k3y!" * 8,
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjkl",
    "0123456789" * 4,
    "password123",
    "Password2024!",
    "changeme",
    "my-super-secret-key",
    "openwebui_secret_2024",
    "Summer2024",
    "x" * 40 + "1234",
    "sk-1234567890abcdef",
    "webui" * 10,
    "letmein!!!",
]


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_weakness_never_quotes_the_key(key: str) -> None:
    strength = estimate(key)
    assert strength.weakness is not None
    for start in range(len(key) - 2):
        assert key[start : start + 3] not in strength.weakness


# --- speed --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [
    "a" * 8192,
    secrets.token_hex(4096),
    "ab" * 4096,
    "qwertyuiop" * 800 + "x",
    "word" * 2000 + "1",
    "a" * 4096 + "1" * 4096,
    "abcdefghijklmnopqrstuvwxyz" * 300,
    "Password" + "1" * 8000,
])
def test_long_keys_are_fast(key: str) -> None:
    started = time.perf_counter()
    strength = estimate(key)
    assert time.perf_counter() - started < 0.5
    assert strength.bits > 0


def test_each_distinct_key_is_analysed_once_per_run(tmp_path, monkeypatch) -> None:
    """30 compose projects sharing 2 keys: two analyses, however many deployments use them."""
    from validator import engine, keystrength

    calls: list[str] = []
    original = keystrength._brute_force_bits
    monkeypatch.setattr(keystrength, "_brute_force_bits", lambda key: calls.append(key) or original(key))
    keystrength.estimate.cache_clear()
    for number in range(30):
        project = tmp_path / f"project-{number:02d}"
        project.mkdir()
        key = ["Summer2024!Summer2024!Summer2024!x", "correct-horse-battery-staple-2024"][number % 2]
        (project / ".env").write_text(f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=12h\n")
    engine.check([str(tmp_path)])
    assert calls.count("Summer2024!Summer2024!Summer2024!x") == 1
    assert calls.count("correct-horse-battery-staple-2024") == 1
