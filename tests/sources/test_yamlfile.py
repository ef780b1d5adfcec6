"""YAML at the node level: positions, merge keys, duplicates, errors that never quote a line."""

from __future__ import annotations

import time

import pytest
import yaml

from validator.findings import Severity
from validator.location import Location
from validator.sources import yamlfile
from validator.sources.files import SourceError
from validator.sources.yamlfile import (
    duplicate_keys,
    load_documents,
    mapping_entries,
    mapping_get,
    node_location,
    scalar_text,
)

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    """Run a test with both the libyaml and the pure-Python loader: their marks differ subtly."""
    monkeypatch.setattr(yamlfile, "_Loader", request.param)
    return request.param


def root(text: str) -> yaml.Node:
    (document,) = load_documents(text, "f.yml")
    return document


def entries(node: yaml.Node) -> dict[str, str | None]:
    return {name: scalar_text(value) for name, _key, value in mapping_entries(node)}


def syntax_error(text: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load_documents(text, "f.yml")
    return caught.value


# --- loading ---------------------------------------------------------------------------------


def test_loads_every_document_as_nodes(loader: type) -> None:
    documents = load_documents("a: 1\n---\n- x\n---\n", "f.yml")
    assert [type(node) for node in documents] == [yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode]
    assert scalar_text(documents[2]) is None  # the empty document after the last `---`
    assert load_documents("", "f.yml") == []


def test_python_tags_stay_nodes_and_are_never_executed(loader: type) -> None:
    node = root("a: !!python/object/apply:os.system ['exit 3']\nb: !!python/name:os.system\n")
    value = mapping_get(node, "a")
    assert isinstance(value, yaml.SequenceNode)
    assert value.tag == "tag:yaml.org,2002:python/object/apply:os.system"
    assert scalar_text(mapping_get(node, "b")) == ""


def test_syntax_error_position_and_no_secret_in_message(loader: type) -> None:
    text = "services:\n  webui:\n    environment:\n      WEBUI_SECRET_KEY: hunter2-s3cret: x\n"
    error = syntax_error(text)
    finding = error.finding
    assert finding.code == "OW001"
    assert finding.severity is Severity.ERROR
    assert (finding.location.path, finding.location.line, finding.location.column) == ("f.yml", 4, 39)
    assert finding.message.startswith("YAML syntax error: mapping values are not allowed")
    assert "hunter2" not in finding.message and "s3cret" not in finding.message
    assert "hunter2" not in str(error)


def test_unterminated_quote_does_not_quote_the_secret(loader: type) -> None:
    error = syntax_error('a: 1\nWEBUI_SECRET_KEY: "hunter2-s3cret\n')
    assert error.finding.location.line == 3
    assert "hunter2" not in error.finding.message
    assert error.finding.message.startswith("YAML syntax error: ")


def test_control_character_located_after_non_ascii_text(loader: type) -> None:
    # libyaml reports a byte offset: the two `é` are 4 bytes but 2 columns.
    error = syntax_error("éé: ok\nkey: ab\x01cd\n")
    assert error.finding.location == Location("f.yml", 2, 8)
    assert "\x01" not in error.finding.message and "ab" not in error.finding.message


def test_undefined_alias_is_a_located_error(loader: type) -> None:
    error = syntax_error("a: 1\nb: *nowhere\n")
    assert (error.finding.location.line, error.finding.location.column) == (2, 4)
    assert "undefined alias" in error.finding.message


def test_nesting_too_deep_is_an_error_not_a_crash(loader: type) -> None:
    depth = 20000
    error = syntax_error("a: " + "[" * depth + "]" * depth + "\n")
    assert error.finding.code == "OW001"
    assert error.finding.location.path == "f.yml"


def test_billion_laughs_loads_and_walks_quickly(loader: type) -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines += ["m0: &m0 {a: 1, b: 2}"]
    lines += [f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}], k{i}: {i}}}" for i in range(1, 8)]
    started = time.perf_counter()
    node = root("\n".join(lines) + "\n")
    merged = entries(mapping_get(node, "m7"))  # type: ignore[arg-type]
    assert time.perf_counter() - started < 2.0
    assert merged["a"] == "1" and merged["k1"] == "1" and merged["k7"] == "7"
    assert len(merged) == 2 + 7


# --- locations and scalars -------------------------------------------------------------------


def test_node_locations(loader: type) -> None:
    node = root('plain: abc def\ndouble: "xyz"\nsingle:   \'it\'\'s\'\nmulti: "a\n  b"\nmap:\n  k: v\n')
    assert node_location(mapping_get(node, "plain"), "f.yml") == Location("f.yml", 1, 8, 1, 15)  # type: ignore[arg-type]
    assert node_location(mapping_get(node, "double"), "f.yml") == Location("f.yml", 2, 10, 2, 13)  # type: ignore[arg-type]
    assert node_location(mapping_get(node, "single"), "f.yml") == Location("f.yml", 3, 12, 3, 17)  # type: ignore[arg-type]
    # multi-line quoted: the whole node, quotes included (the start is what matters)
    assert node_location(mapping_get(node, "multi"), "f.yml") == Location("f.yml", 4, 8, 5, 5)  # type: ignore[arg-type]
    assert node_location(mapping_get(node, "map"), "f.yml") == Location("f.yml", 7, 3, 8, 1)  # type: ignore[arg-type]
    keys = [node_location(key, "f.yml") for _name, key, _value in mapping_entries(node)]
    assert keys[0] == Location("f.yml", 1, 1, 1, 6)


def test_scalar_text_is_raw_and_null_is_none(loader: type) -> None:
    node = root(
        "num: 3600\nbool: False\ntilde: ~\nnull: null\nempty:\nquoted_null: 'null'\n"
        "float: 1.50\nmap: {a: 1}\nlist: [1]\nblock: |\n  line\n"
    )
    assert entries(node) == {
        "num": "3600", "bool": "False", "tilde": None, "null": None, "empty": None,
        "quoted_null": "null", "float": "1.50", "map": None, "list": None, "block": "line\n",
    }  # fmt: skip
    assert scalar_text(None) is None


# --- mapping entries -------------------------------------------------------------------------


def test_keys_are_strings_as_written(loader: type) -> None:
    node = root("3600: a\ntrue: b\n~: c\n[x]: d\n")
    assert [name for name, _key, _value in mapping_entries(node)] == ["3600", "true", "~"]


def test_merge_key_explicit_keys_override(loader: type) -> None:
    node = root("base: &base {A: 1, B: 2}\nsvc:\n  <<: *base\n  B: 3\n  C: 4\n")
    assert entries(mapping_get(node, "svc")) == {"A": "1", "B": "3", "C": "4"}  # type: ignore[arg-type]
    # the merged value is the anchored node: located where it is written
    value = dict((n, v) for n, _k, v in mapping_entries(mapping_get(node, "svc")))["A"]  # type: ignore[arg-type]
    assert node_location(value, "f.yml").line == 1


def test_merge_sequence_earlier_source_wins(loader: type) -> None:
    node = root("a: &a {X: a, Y: a}\nb: &b {X: b, Z: b}\nc:\n  <<: [*a, *b]\n")
    assert entries(mapping_get(node, "c")) == {"X": "a", "Y": "a", "Z": "b"}  # type: ignore[arg-type]
    node = root("a: &a {X: a, Y: a}\nb: &b {X: b, Z: b}\nc:\n  <<: [*b, *a]\n")
    assert entries(mapping_get(node, "c")) == {"X": "b", "Y": "a", "Z": "b"}  # type: ignore[arg-type]


def test_nested_merges_resolve(loader: type) -> None:
    node = root("a: &a {X: a}\nb: &b {<<: *a, Y: b}\nc: {<<: *b, Z: c}\n")
    assert entries(mapping_get(node, "c")) == {"X": "a", "Y": "b", "Z": "c"}  # type: ignore[arg-type]


def test_recursive_merge_terminates(loader: type, monkeypatch: pytest.MonkeyPatch) -> None:
    # Anchors may refer to themselves; the cycle guard, not the depth limit, must stop this.
    monkeypatch.setattr(yamlfile, "_MAX_MERGE_DEPTH", 10**6)
    node = root("a: &a\n  X: 1\n  <<: [*a, *a]\nb:\n  <<: *a\n  Y: 2\n")
    assert entries(mapping_get(node, "b")) == {"X": "1", "Y": "2"}  # type: ignore[arg-type]


def test_merge_chains_past_the_depth_limit_are_cut(loader: type, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "_MAX_MERGE_DEPTH", 3)
    node = root("a: &a {A: 1}\nb: &b {<<: *a, B: 1}\nc: &c {<<: *b, C: 1}\nd: &d {<<: *c, D: 1}\ne: {<<: *d, E: 1}\n")
    assert set(entries(mapping_get(node, "e"))) == {"B", "C", "D", "E"}  # type: ignore[arg-type]


def test_quoted_merge_key_is_an_ordinary_key(loader: type) -> None:
    node = root("a: &a {X: 1}\nb: {'<<': *a}\n")
    assert [name for name, _k, _v in mapping_entries(mapping_get(node, "b"))] == ["<<"]  # type: ignore[arg-type]


def test_duplicate_key_later_wins_and_is_reported(loader: type) -> None:
    node = root("base: &base {A: 0}\nsvc:\n  <<: *base\n  A: 1\n  B: 2\n  A: 3\n")
    svc = mapping_get(node, "svc")
    assert entries(svc) == {"A": "3", "B": "2"}  # type: ignore[arg-type]
    found = duplicate_keys(svc)  # type: ignore[arg-type]
    assert [(name, first.start_mark.line + 1, last.start_mark.line + 1, n) for name, first, last, n in found] == [("A", 4, 6, 2)]


def test_overriding_a_merged_key_is_not_a_duplicate(loader: type) -> None:
    node = root("base: &base {A: 0}\nsvc:\n  <<: *base\n  A: 1\n")
    assert duplicate_keys(mapping_get(node, "svc")) == []  # type: ignore[arg-type]


def test_not_a_mapping(loader: type) -> None:
    node = root("- a\n- b\n")
    assert mapping_entries(node) == [] and duplicate_keys(node) == [] and mapping_get(node, "a") is None


def test_keys_written_twice_anywhere_are_ow002_naming_both_lines() -> None:
    from validator.sources.yamlfile import duplicate_key_findings

    text = "a: &x\n  k: 1\n  k: 2\nb: *x\nc:\n  - {m: 1, m: 2}\n  - n: 1\nd: 1\nd: 2\nd: 3\n"
    found = duplicate_key_findings(load_documents(text, "values.yaml"), "values.yaml")
    assert [(f.code, f.severity, f.location.line) for f in found] == [
        ("OW002", Severity.WARNING, 3), ("OW002", Severity.WARNING, 6), ("OW002", Severity.WARNING, 10)]
    assert found[0].message.startswith("key 'k' is written twice in one mapping, at lines 2 and 3")
    assert found[2].message.startswith("key 'd' is written 3 times in one mapping, first at line 8, last at line 10")
    # The aliased mapping is reported once, merge keys are not duplicates.
    merged = "base: &b {x: 1}\nover:\n  <<: *b\n  <<: *b\n  x: 2\n"
    assert duplicate_key_findings(load_documents(merged, "c.yaml"), "c.yaml") == []
