"""YAML at the node level: positions for every value, merge keys, and no object construction.

Compose files now and Kubernetes/Helm values later are read as `yaml.Node` trees, never as
Python objects: no tag is ever executed (`!!python/object` stays a node), and every value keeps
the line and column it is written at. Aliases share nodes, so a "billion laughs" document is
small here; the helpers below walk only what they are asked about and memoise merged mappings,
so they never expand it either.
"""

from __future__ import annotations

import yaml

from validator.findings import Finding, Severity
from validator.location import Location
from validator.sources.files import SourceError, unreadable

_Loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader

MERGE_TAG = "tag:yaml.org,2002:merge"
NULL_TAG = "tag:yaml.org,2002:null"
# Merge chains deeper than this are ignored rather than followed (no real file comes close).
_MAX_MERGE_DEPTH = 64

Entries = list[tuple[str, yaml.Node, yaml.Node]]


class BrokenDocument(SourceError):
    """A syntax error after some complete documents: those are still worth checking."""

    def __init__(self, error: SourceError, documents: list[yaml.Node]) -> None:
        super().__init__(error.finding)
        self.documents = documents


def load_documents(text: str, path: str) -> list[yaml.Node]:
    """Every document's root node; raises SourceError (OW001) at the syntax error's position,
    as a BrokenDocument carrying the documents before it when there are any.

    The message holds only the parser's `problem` text: str(exc) quotes the offending line,
    which may be the one holding a secret key.
    """
    documents: list[yaml.Node] = []
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is not None:
                documents.append(node)
        return documents
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - every parser failure becomes a positioned OW001
        error = _error(exc, text, path)
        raise (BrokenDocument(error, documents) if documents else error) from None


def _error(exc: Exception, text: str, path: str) -> SourceError:
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_error(exc, path)
    if isinstance(exc, yaml.reader.ReaderError):
        return unreadable(_offset_location(text, path, exc.position), f"YAML syntax error: {exc.reason}")
    if isinstance(exc, UnicodeError):
        start = getattr(exc, "start", 0)
        return unreadable(_char_location(text, path, start), "YAML syntax error: invalid character (lone surrogate)")
    if isinstance(exc, RecursionError):
        # Only the pure-Python loader recurses; libyaml stops at its own nesting limit.
        return unreadable(Location(path), "YAML syntax error: nesting too deep")
    if isinstance(exc, yaml.YAMLError):
        return unreadable(Location(path), "YAML syntax error")
    raise exc


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark is not None else Location(path)
    problem = exc.problem or "invalid YAML"
    if problem == "second occurrence" and exc.context and "duplicate anchor" in exc.context:
        problem = "duplicate anchor (second occurrence here)"
    return unreadable(location, f"YAML syntax error: {problem}")


def _offset_location(text: str, path: str, position: int) -> Location:
    """A ReaderError's position: libyaml counts UTF-8 bytes, the Python reader counts characters."""
    if _Loader is not yaml.SafeLoader:
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    return _char_location(text, path, position)


def _char_location(text: str, path: str, index: int) -> Location:
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return Location(path, text.count("\n", 0, index) + 1, index - line_start + 1)


def node_location(node: yaml.Node, path: str) -> Location:
    """Where a node is written (1-based); for a single-line quoted scalar, inside the quotes."""
    start, end = node.start_mark, node.end_mark
    line, column = start.line + 1, start.column + 1
    # One int object for both when the node is on one line: a run keeps a Location per value it
    # read, and line numbers above 256 are objects of their own.
    end_line, end_column = line if end.line == start.line else end.line + 1, end.column + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') and end_line == line:
        return Location(path, line, column + 1, end_line, max(column + 1, end_column - 1))
    return Location(path, line, column, end_line, end_column)


def key_text(node: yaml.Node) -> str | None:
    """A mapping key as a string (`3600:` is "3600"); None for keys that are not scalars."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


def is_merge_key(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == MERGE_TAG


def mapping_get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value of `key` in a mapping, merge keys resolved; None when absent or not a mapping."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = None
    for key_node, value in node.value:  # called about 300 times per workload: is_merge_key inlined
        if key_node.tag == MERGE_TAG and isinstance(key_node, yaml.ScalarNode):  # rare: the slow way
            return next((value for name, _key, value in mapping_entries(node) if name == key), None)
        if key_node.value == key and isinstance(key_node, yaml.ScalarNode):
            found = value  # a later duplicate wins, as in mapping_entries
    return found


def mapping_entries(node: yaml.Node | None) -> Entries:
    """(key, key node, value node) for a mapping, as a YAML loader would see it.

    Merge keys are resolved per the YAML merge spec: explicitly written keys override merged
    ones, and among `<<: [*a, *b]` the earlier source wins. A key written twice takes the later
    value (as PyYAML does; see `duplicate_keys`). Non-scalar keys are skipped. Not a mapping: [].
    """
    if not isinstance(node, yaml.MappingNode):
        return []
    if not any(is_merge_key(key) for key, _ in node.value):
        return _explicit(node)
    return list(_merged(node, {}, set(), 0).values())


def _explicit(node: yaml.MappingNode) -> Entries:
    seen: dict[str, tuple[str, yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        name = key_text(key)
        if name is not None and not is_merge_key(key):
            seen.pop(name, None)  # a later duplicate also takes the later position in the order
            seen[name] = (name, key, value)
    return list(seen.values())


def _merged(
    node: yaml.MappingNode,
    memo: dict[int, dict[str, tuple[str, yaml.Node, yaml.Node]]],
    active: set[int],
    depth: int,
) -> dict[str, tuple[str, yaml.Node, yaml.Node]]:
    """Entries of `node` with its merges, each mapping computed once per call (aliases share
    nodes, so memoising by identity keeps billion-laughs merge graphs linear); cycles and
    chains deeper than _MAX_MERGE_DEPTH contribute nothing."""
    ident = id(node)
    cached = memo.get(ident)
    if cached is not None:
        return cached
    result = {entry[0]: entry for entry in _explicit(node)}
    if depth < _MAX_MERGE_DEPTH:
        active.add(ident)
        for key, value in node.value:
            if not is_merge_key(key):
                continue
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, yaml.MappingNode) or id(source) in active:
                    continue
                for name, entry in _merged(source, memo, active, depth + 1).items():
                    result.setdefault(name, entry)
        active.discard(ident)
    memo[ident] = result
    return result


def duplicate_keys(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node, int]]:
    """(key, first key node, last key node, how many) for each key written more than once in this
    mapping, once per key and in one pass (20,000 repeats of one key are one entry).

    Only explicitly written keys count: a key that overrides a merged one is the point of merge
    keys. Docker compose (yaml.v3) rejects duplicates; PyYAML silently keeps the later one.
    """
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: dict[str, list[yaml.Node]] = {}
    for key, _value in node.value:
        name = key_text(key)
        if name is None or is_merge_key(key):
            continue
        seen.setdefault(name, []).append(key)
    return [(name, keys[0], keys[-1], len(keys)) for name, keys in seen.items() if len(keys) > 1]


def small_count(text: str) -> int | None:
    """`3` as a count (replicas); None for anything else, including 5000 digits (no replica count
    is that large, and Python refuses to read an int past 4300 digits)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def scalar_text(node: yaml.Node | None) -> str | None:
    """A scalar's text as written (`3600`, `False`); None for null (`~`, `null`, empty) and for
    mappings and sequences."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL_TAG:
        return None
    return node.value


def _duplicate_key_finding(name: str, first: yaml.Node, last: yaml.Node, count: int, path: str) -> Finding:
    lines = f"at lines {first.start_mark.line + 1} and {last.start_mark.line + 1}"
    written = "twice" if count == 2 else f"{count} times"
    if count > 2:
        lines = f"first at line {first.start_mark.line + 1}, last at line {last.start_mark.line + 1}"
    message = (f"key '{name}' is written {written} in one mapping, {lines}: PyYAML and Helm keep the "
               "last value, docker compose and kubectl refuse the file; keep one")
    return Finding("OW002", Severity.WARNING, message, node_location(last, path))


def duplicate_key_findings(documents: list[yaml.Node], path: str, skip: frozenset[int] = frozenset()) -> list[Finding]:
    """OW002 for every key written twice in one mapping, anywhere in the documents (any file kind).

    Loaders disagree on such a file: PyYAML and Helm keep the later value, docker compose and
    kubectl refuse the file. Each node is visited once (aliases share nodes); mappings whose ids
    are in `skip` were reported more precisely by their reader.
    """
    found: list[Finding] = []
    seen: set[int] = set()
    stack = [document for document in documents if not isinstance(document, yaml.ScalarNode)]
    mapping, scalar = yaml.MappingNode, yaml.ScalarNode
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, mapping):
            pairs = node.value
            # Most mappings have distinct scalar keys: one set tells, and only the others are looked into.
            if len(pairs) > 1 and len({key.value for key, _value in pairs if key.__class__ is scalar}) < len(pairs) \
                    and id(node) not in skip:
                found.extend(_duplicate_key_finding(name, first, last, count, path)
                             for name, first, last, count in duplicate_keys(node))
            stack.extend(value for _key, value in pairs if value.__class__ is not scalar)
        else:  # a sequence
            stack.extend(item for item in node.value if item.__class__ is not scalar)
    return sorted(found, key=lambda finding: finding.sort_key)
