"""Env files in compose's dotenv syntax: values, exact positions, duplicates, errors, resolution."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from validator.findings import Severity
from validator.location import Location
from validator.sources.dotenv import DotenvFile, Entry, parse_dotenv
from validator.sources.files import SourceError, Workspace, decode
from validator.sources.model import Setting

SECRET = "hunter2-Sup3rSecretKeyValue"


def load(tmp_path: Path, text: str, name: str = ".env") -> DotenvFile:
    """Write `text` to a real file and parse it the way sources do: through a Workspace."""
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return Workspace().parsed("dotenv", str(path), parse_dotenv)


def error(tmp_path: Path, text: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load(tmp_path, text)
    return caught.value


def raws(parsed: DotenvFile) -> list[tuple[str, str | None]]:
    return [(entry.name, entry.raw) for entry in parsed.entries]


def test_entries_with_exact_positions(tmp_path: Path) -> None:
    parsed = load(tmp_path, "# settings\n\nexport WEBUI_SECRET_KEY=\"abc\"\n  JWT_EXPIRES_IN = 4w\n")
    path = str(tmp_path / ".env")
    assert parsed.path == path
    assert parsed.entries == [
        Entry("WEBUI_SECRET_KEY", "abc", Location(path, 3, 26, 3, 29), Location(path, 3, 8, 3, 24), True),
        Entry("JWT_EXPIRES_IN", "4w", Location(path, 4, 20, 4, 22), Location(path, 4, 3, 4, 17), True),
    ]
    assert parsed.findings == []
    assert parsed.names() == {"WEBUI_SECRET_KEY", "JWT_EXPIRES_IN"}


def test_blank_and_comment_only_file(tmp_path: Path) -> None:
    parsed = load(tmp_path, "\n   \n# one\n\t # two\n")
    assert (parsed.entries, parsed.findings) == ([], [])


def test_empty_file(tmp_path: Path) -> None:
    assert load(tmp_path, "").entries == []


@pytest.mark.parametrize(
    ("line", "name", "raw", "column"),
    [
        ("KEY=value", "KEY", "value", 5),
        ("KEY = value", "KEY", "value", 7),
        ("KEY:value", "KEY", "value", 5),
        ("KEY: value", "KEY", "value", 6),
        ("\tKEY\t=\tvalue\t", "KEY", "value", 8),
        ("export KEY=value", "KEY", "value", 12),
        ("export   KEY=value", "KEY", "value", 14),
        ("export=value", "export", "value", 8),
        ("exportKEY=value", "exportKEY", "value", 11),
        ("my.key-1=value", "my.key-1", "value", 10),
        ("_k=value", "_k", "value", 4),
        ("KEY=a:b=c", "KEY", "a:b=c", 5),
        ("KEY=", "KEY", "", 5),
        ("KEY=   ", "KEY", "", 8),
        ("KEY=  spaced  out  ", "KEY", "spaced  out", 7),
        ("KEY=value # comment", "KEY", "value", 5),
        ("KEY=value#not-comment", "KEY", "value#not-comment", 5),
        ("KEY=a # b # c", "KEY", "a", 5),
        ("KEY=#value", "KEY", "#value", 5),
        # compose trims before looking for ` #`, so this is a value, not a comment
        ("KEY= # value", "KEY", "# value", 6),
        # compose only starts a comment at space-hash; a tab does not
        ("KEY=value\t# c", "KEY", "value\t# c", 5),
        ("KEY=it's \"x\"", "KEY", "it's \"x\"", 5),
        ("KEY=a\\nb", "KEY", "a\\nb", 5),
    ],
)
def test_unquoted_values(tmp_path: Path, line: str, name: str, raw: str, column: int) -> None:
    (entry,) = load(tmp_path, line + "\n").entries
    assert (entry.name, entry.raw, entry.location.line, entry.location.column, entry.interpolate) == (
        name, raw, 1, column, True,
    )  # fmt: skip
    assert entry.location.end_column == column + len(raw)


@pytest.mark.parametrize(
    ("written", "raw"),
    [
        (r'"plain"', "plain"),
        (r'""', ""),
        (r'"a\nb"', "a\nb"),
        (r'"a\rb"', "a\rb"),
        (r'"a\tb"', "a\tb"),
        (r'"a\\b"', "a\\b"),
        (r'"a\"b"', 'a"b'),
        (r'"a\$b"', "a$$b"),  # a literal dollar, kept as compose's `$$` for interpolation
        (r'"a\\nb"', "a\\nb"),
        (r'"a\\"', "a\\"),
        (r'"a\qb"', "a\\qb"),
        (r'"a\'b"', "a\\'b"),
        (r'"\0101"', "A"),
        (r'"# not a comment"', "# not a comment"),
        (r'"single ' "'" ' inside"', "single ' inside"),
        (r'"$X ${Y:-z}"', "$X ${Y:-z}"),
    ],
)
def test_double_quoted_escapes(tmp_path: Path, written: str, raw: str) -> None:
    (entry,) = load(tmp_path, f"KEY={written}\n").entries
    assert (entry.raw, entry.interpolate) == (raw, True)
    assert entry.location == Location.span(entry.location.path, 1, 6, written[1:-1])


@pytest.mark.parametrize(
    ("written", "raw"),
    [
        ("'plain'", "plain"),
        ("''", ""),
        ("'$X ${Y}'", "$X ${Y}"),
        (r"'a\nb'", "a\\nb"),
        (r"'a\\b'", "a\\\\b"),
        (r"'it\'s'", "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        ("'# not a comment'", "# not a comment"),
    ],
)
def test_single_quoted_values_are_literal(tmp_path: Path, written: str, raw: str) -> None:
    (entry,) = load(tmp_path, f"KEY={written}\n").entries
    assert (entry.raw, entry.interpolate) == (raw, False)
    assert (entry.location.column, entry.location.end_column) == (6, 6 + len(written) - 2)


def test_quoted_value_positions_with_export_and_comment(tmp_path: Path) -> None:
    parsed = load(tmp_path, "  export   WEBUI_SECRET_KEY =  'k3y'   # why\n")
    (entry,) = parsed.entries
    assert entry.key_location == Location(parsed.path, 1, 12, 1, 28)
    assert entry.location == Location(parsed.path, 1, 33, 1, 36)
    assert entry.raw == "k3y"


def test_hash_right_after_closing_quote_is_a_comment(tmp_path: Path) -> None:
    assert raws(load(tmp_path, 'A="x"#c\nB=\'y\'  \n')) == [("A", "x"), ("B", "y")]


def test_multiline_double_quoted_value(tmp_path: Path) -> None:
    text = 'FIRST=1\nPEM="-----BEGIN-----\nMIIB\\tx\n-----END-----"  # key\nAFTER=2\n'
    parsed = load(tmp_path, text)
    first, pem, after = parsed.entries
    assert pem.raw == "-----BEGIN-----\nMIIB\tx\n-----END-----"
    assert pem.location == Location(parsed.path, 2, 6, 4, 14)
    assert after.key_location == Location(parsed.path, 5, 1, 5, 6)
    assert after.location == Location(parsed.path, 5, 7, 5, 8)


def test_multiline_single_quoted_value(tmp_path: Path) -> None:
    parsed = load(tmp_path, "A='one\ntwo $X\n'\nB=3\n")
    a, b = parsed.entries
    assert (a.raw, a.interpolate) == ("one\ntwo $X\n", False)
    assert a.location == Location(parsed.path, 1, 4, 3, 1)
    assert b.location == Location(parsed.path, 4, 3, 4, 4)


def test_crlf_file_through_decode(tmp_path: Path) -> None:
    data = b'# c\r\nexport A="x\r\ny" # c\r\nB = plain \r\n  C\r\n'
    path = tmp_path / "crlf.env"
    path.write_bytes(data)
    parsed = parse_dotenv(decode(path.read_bytes(), str(path)), str(path))
    a, b, c = parsed.entries
    assert a.raw == "x\ny"
    assert a.location == Location(str(path), 2, 11, 3, 2)
    assert (b.raw, b.location) == ("plain", Location(str(path), 4, 5, 4, 10))
    assert (c.name, c.raw, c.location) == ("C", None, Location(str(path), 5, 3, 5, 4))
    assert Workspace().parsed("dotenv", str(path), parse_dotenv).entries == parsed.entries


def test_bare_key(tmp_path: Path) -> None:
    parsed = load(tmp_path, "A=1\n  WEBUI_SECRET_KEY  \nexport JWT_EXPIRES_IN")
    _, bare, exported = parsed.entries
    key = Location(parsed.path, 2, 3, 2, 19)
    assert bare == Entry("WEBUI_SECRET_KEY", None, key, key, False)
    assert (exported.name, exported.raw, exported.location.column) == ("JWT_EXPIRES_IN", None, 8)
    settings = parsed.resolve()
    assert settings["WEBUI_SECRET_KEY"] == Setting(
        "WEBUI_SECRET_KEY", None, key, literal=False, unresolved="taken from the shell environment at deploy time", via=parsed.path
    )
    assert parsed.resolve({"WEBUI_SECRET_KEY": "from-lookup"}.get)["WEBUI_SECRET_KEY"].value == "from-lookup"


def test_duplicates_warn_at_the_later_definition(tmp_path: Path) -> None:
    parsed = load(tmp_path, f"A=1\n\nWEBUI_SECRET_KEY={SECRET}\nB=2\n\n\nexport WEBUI_SECRET_KEY=other\n")
    (finding,) = parsed.findings
    assert finding.code == "OW002"
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "WEBUI_SECRET_KEY is defined twice in this file (also at line 3); the definition at line 7 wins"
    )
    assert finding.location == Location(parsed.path, 7, 8, 7, 24)
    assert finding.variable == "WEBUI_SECRET_KEY"
    assert parsed.resolve()["WEBUI_SECRET_KEY"].value == "other"
    assert parsed.resolve()["WEBUI_SECRET_KEY"].location.line == 7


def test_three_definitions(tmp_path: Path) -> None:
    parsed = load(tmp_path, "K=1\nK=2\nK\n")
    assert [(f.location.line, f.message) for f in parsed.findings] == [
        (3, "K is defined 3 times in this file (also at lines 1, 2); the definition at line 3 wins"),
    ]
    assert parsed.resolve()["K"].value is None


def test_resolve_interpolates_from_earlier_entries_then_lookup(tmp_path: Path) -> None:
    text = (
        "HOST=db\n"
        "URL=postgres://${HOST}:${PORT:-5432}/$NAME\n"
        "NAME=late\n"
        "LIT='${HOST}'\n"
        "ESC=\"\\$HOST $$HOST\"\n"
        "FROM_LOOKUP=${SHELL_ONLY}\n"
        "HOST=changed\n"
        "AGAIN=$HOST\n"
    )
    parsed = load(tmp_path, text)
    settings = parsed.resolve({"NAME": "outer", "SHELL_ONLY": "s", "HOST": "ignored"}.get)
    assert settings["URL"].value == "postgres://db:5432/outer"
    assert settings["URL"].literal is False
    assert settings["URL"].via == parsed.path
    assert settings["URL"].location == Location(parsed.path, 2, 5, 2, 43)
    assert (settings["LIT"].value, settings["LIT"].literal) == ("${HOST}", True)
    assert (settings["ESC"].value, settings["ESC"].literal) == ("$HOST $HOST", True)
    assert (settings["FROM_LOOKUP"].value, settings["FROM_LOOKUP"].literal) == ("s", False)
    assert settings["HOST"].value == "changed"
    assert settings["AGAIN"].value == "changed"
    assert settings["NAME"].value == "late"


def test_resolve_unresolved_reference(tmp_path: Path) -> None:
    parsed = load(tmp_path, "A=${B}\nB=x\nC=\"${D:?}\"\n")
    settings = parsed.resolve()
    assert (settings["A"].value, settings["A"].unresolved) == (None, "${B} has no value here and no default")
    assert settings["C"].unresolved == "${D} is required at deploy time and has no value here"
    assert settings["B"] == Setting("B", "x", Location(parsed.path, 2, 3, 2, 4), True, "", parsed.path)


def test_resolve_without_lookup_keeps_empty_values(tmp_path: Path) -> None:
    settings = load(tmp_path, "E=\nF=${E-unset}\n").resolve()
    assert (settings["E"].value, settings["F"].value) == ("", "")


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("A=1\n1KEY=x\n", 2, 1, "expected a variable name (KEY=VALUE)"),
        ("  =x\n", 1, 3, "expected a variable name (KEY=VALUE)"),
        ("MY KEY=x\n", 1, 4, "invalid character in variable name (expected KEY=VALUE)"),
        ("KEY!=x\n", 1, 4, "invalid character in variable name (expected KEY=VALUE)"),
        ("A=1\nexport  B C\n", 2, 11, "invalid character in variable name (expected KEY=VALUE)"),
        ("A=1\n  B=  \"never closed\nC=2\n", 2, 7, "unterminated double-quoted value for B"),
        ("B='never closed\n", 1, 3, "unterminated single-quoted value for B"),
        ('B="escaped close\\"\n', 1, 3, "unterminated double-quoted value for B"),
        ("A=1\nB=\"x\"y\n", 2, 6, "unexpected text after the closing quote of B's value"),
        ("B='x'  C=1\n", 1, 8, "unexpected text after the closing quote of B's value"),
        ('B="one\ntwo"  z\n', 2, 7, "unexpected text after the closing quote of B's value"),
    ],
)
def test_syntax_errors_have_positions(tmp_path: Path, text: str, line: int, column: int, message: str) -> None:
    caught = error(tmp_path, text)
    finding = caught.finding
    assert (finding.code, finding.severity, finding.message) == ("OW001", Severity.ERROR, message)
    assert (finding.location.path, finding.location.line, finding.location.column) == (
        str(tmp_path / ".env"), line, column,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        f'WEBUI_SECRET_KEY="{SECRET}\n',
        f"WEBUI_SECRET_KEY='{SECRET}\n",
        f'WEBUI_SECRET_KEY="{SECRET}"{SECRET}\n',
        f"WEBUI_SECRET_KEY='{SECRET}' {SECRET}\n",
        f"{SECRET}!=x\n",
        f"1{SECRET}=x\n",
        f"MY {SECRET}=x\n",
        f"  ={SECRET}\n",
    ],
)
def test_errors_never_contain_the_value(tmp_path: Path, text: str) -> None:
    caught = error(tmp_path, text)
    for fragment in (SECRET, "hunter2", "Sup3r", "KeyValue"):
        assert fragment not in caught.finding.message
        assert fragment not in str(caught)


def test_findings_and_reprs_never_contain_the_value(tmp_path: Path) -> None:
    parsed = load(tmp_path, f"WEBUI_SECRET_KEY={SECRET}\nWEBUI_SECRET_KEY=\"{SECRET}\"\n")
    assert parsed.findings
    for finding in parsed.findings:
        assert SECRET not in finding.message
    for entry in parsed.entries:
        assert SECRET not in repr(entry)


def test_large_file_parses_quickly(tmp_path: Path) -> None:
    lines = ['export KEY_0="zero"\n']
    for i in range(1, 20_000):
        lines.append(f'export KEY_{i}="v{i} \\t ${{PLAIN_{i - 1}:-none}}" # note\n')
        lines.append(f"PLAIN_{i} = plain value {i} # note\n")
    text = "".join(lines)
    # CPU time, not wall time: a shared CI machine under load must not fail a linear parser, while
    # quadratic work on 40k lines would still take far longer than the bound.
    started = time.process_time()
    parsed = parse_dotenv(text, "big.env")
    settings = parsed.resolve()
    elapsed = time.process_time() - started
    assert len(parsed.entries) == 39_999
    assert settings["KEY_1"].value == "v1 \t none"
    assert settings["KEY_2"].value == "v2 \t plain value 1"
    assert settings["PLAIN_19999"].location == Location("big.env", 39_999, 15, 39_999, 32)
    assert elapsed < 2.0
