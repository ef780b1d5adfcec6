"""Admin > Settings > Database > Export files: both shapes, detection by content, exact positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator import engine
from validator.location import Location
from validator.sources.export import read_export
from validator.sources.files import Workspace

# What 0.12.4's Export button downloads: JSON.stringify of Config.get_all(), on one line.
FLAT = {"ui.enable_signup": True, "auth.jwt_expiry": "1mo", "auth.enable_api_keys": False,
        "ollama.base_urls": ["http://localhost:11434"]}


def write(tmp_path: Path, name: str, content: object, indent: int | None = None) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=indent, separators=None if indent else (",", ":")))
    return str(path)


def lines(result: engine.Result, root: Path) -> list[str]:
    return [f"{Path(f.location.path).relative_to(root)}:{f.location.line}:{f.location.column}: {f.code} {f.message}"
            for f in result.findings]


def test_flat_export_value_located_on_its_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "config-1718000000000.json", FLAT)
    parsed = read_export(Workspace(), path)
    (deployment,) = parsed.deployments
    assert (parsed.kind, deployment.kind, deployment.name) == ("export", "stored-config", f"stored settings in {path}")
    setting = deployment.settings["JWT_EXPIRES_IN"]
    assert (setting.name, setting.value) == ("auth.jwt_expiry", "1mo")
    assert setting.location == Location(path, 1, 45, 1, 48)
    assert lines(engine.check([path]), tmp_path) == [
        "config-1718000000000.json:1:45: OW102 auth.jwt_expiry='1mo' is read as 1 minute: Open WebUI ignores 'o'; use `4w`",
    ]


def test_nested_export_of_older_releases(tmp_path: Path) -> None:
    path = write(tmp_path, "openwebui-export.json", {"version": 0, "ui": {"enable_signup": False},
                                                     "auth": {"jwt_expiry": "3600"}}, indent=2)
    (finding,) = engine.check([path]).findings
    assert (finding.code, finding.location.line, finding.location.column) == ("OW101", 7, 20)
    assert finding.message.startswith("auth.jwt_expiry='3600' is rejected by Open WebUI")


def test_detected_by_content_whatever_the_name_when_given_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path, "backup.json", {"auth.jwt_expiry": "-1"})
    assert [f.code for f in engine.check([path]).findings] == ["OW103"]


def test_flat_key_wins_over_nested(tmp_path: Path) -> None:
    path = write(tmp_path, "config.json", {"auth": {"jwt_expiry": "-5m"}, "auth.jwt_expiry": "4w"})
    assert engine.check([path]).findings == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"auth.jwt_expiry": 3600}, "auth.jwt_expiry is stored as JSON number 3600, not a string"),
        ({"auth.jwt_expiry": None}, "auth.jwt_expiry is stored as JSON null, not a string"),
        ({"auth": {"jwt_expiry": ["4w"]}}, "auth.jwt_expiry is stored as a JSON array, not a string"),
    ],
)
def test_values_that_are_not_strings_fail_in_parse_duration(tmp_path: Path, content: object, expected: str) -> None:
    path = write(tmp_path, "config.json", content)
    (finding,) = engine.check([path]).findings
    assert (finding.code, str(finding.severity)) == ("OW101", "error")
    assert finding.message.startswith(expected)
    assert "HTTP 500" in finding.message


def test_nested_null_means_not_stored(tmp_path: Path) -> None:
    path = write(tmp_path, "config.json", {"auth": {"jwt_expiry": None}})
    parsed = read_export(Workspace(), path)
    assert parsed.deployments[0].settings == {}
    assert engine.check([path]).findings == []


@pytest.mark.parametrize(
    "content",
    ['{"name": "app", "version": "1.0.0"}', '{"compilerOptions": {"strict": true}}', '[{"auth.jwt_expiry": "1mo"}]',
     '{"auth": "jwt_expiry"}', '{"settings": {"auth": {"jwt_expiry": "1mo"}}}'],
)
def test_other_json_files_are_not_exports(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, "tsconfig.json", content)
    parsed = read_export(Workspace(), path)
    assert (parsed.kind, parsed.deployments, parsed.findings) == ("json", [], [])


def test_json_without_the_setting_is_not_even_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, "app-config.json", '{"broken": ')
    assert read_export(Workspace(), path).findings == []


def test_broken_export_is_ow001_at_the_error(tmp_path: Path) -> None:
    path = write(tmp_path, "config-1.json", '{"auth.jwt_expiry": "4w",,}')
    (finding,) = engine.check([path]).findings
    assert (finding.code, finding.location.line, finding.location.column) == ("OW001", 1, 26)
    assert finding.message == "invalid JSON: expected a key in double quotes"


def test_directory_walk_finds_exports_by_name_and_skips_package_json(tmp_path: Path) -> None:
    write(tmp_path, "config-1718000000000.json", {"auth.jwt_expiry": "1mo"})
    write(tmp_path, "package.json", {"auth.jwt_expiry": "1mo"})
    write(tmp_path, "sub/Settings-EXPORT.json", {"auth": {"jwt_expiry": "0s"}})
    result = engine.check([str(tmp_path)])
    assert sorted(Path(path).relative_to(tmp_path).as_posix() for path in result.files) == [
        "config-1718000000000.json", "sub/Settings-EXPORT.json"]
    assert [(Path(f.location.path).name, f.code) for f in result.findings] == [
        ("config-1718000000000.json", "OW102"), ("Settings-EXPORT.json", "OW103")]
