"""The configuration file: found by walking up, every option changes the verdict, flags override
it, and a bad file is one line naming the key, exit 2."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
KEY = "9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e0d1f3a5b7c"


def env_file(path: Path, expiry: str = "52w", key: str | None = None) -> Path:
    """An Open WebUI env file (WEBUI_URL marks it) with its own key, JWT_EXPIRES_IN on line 3."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"WEBUI_URL=https://chat.example.org\nWEBUI_SECRET_KEY={key or secrets.token_hex(32)}\n"
                    f"JWT_EXPIRES_IN={expiry}\n")
    return path


def other_app(path: Path) -> Path:
    """Another application's env file: JWT_EXPIRES_IN in seconds, nothing that marks Open WebUI."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("PORT=3000\nJWT_EXPIRES_IN=3600\n")
    return path


def codes(ran) -> list[str]:
    return [line.split(" ")[1] for line in ran.out.splitlines() if ": OW" in line]


def config(tmp_path: Path, text: str, name: str = ".owui-validate.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def prod(tmp_path: Path) -> Path:
    return env_file(tmp_path / "prod.env")


def test_no_configuration_means_the_defaults(owui, prod) -> None:
    assert codes(owui("check")) == ["OW105", "OW108"]


@pytest.mark.parametrize(("text", "expected"), [
    ('select = ["OW105"]', ["OW105"]),
    ('select = ["ow1"]', ["OW105", "OW108"]),
    ('ignore = ["OW108"]', ["OW105"]),
    ('extend-ignore = ["OW105"]', ["OW108"]),
    ('select = ["OW108"]\nignore = ["OW1"]', ["OW108"]),  # the more specific code wins
    ('select = ["OW1"]\nignore = ["OW10"]', []),
    ('max-jwt-expiry = "52w"', ["OW108"]),
    ('allow-no-expiry = false\nmax-jwt-expiry = "60w"', ["OW108"]),
])
def test_selection_and_limits(owui, prod, tmp_path, text: str, expected: list[str]) -> None:
    config(tmp_path, text)
    assert codes(owui("check")) == expected


def test_per_rule_severity(owui, prod, tmp_path) -> None:
    config(tmp_path, '[severity]\nOW108 = "error"\nOW105 = "info"\n')
    ran = owui("check", "--fail-on", "error")
    assert "prod.env:3:16: OW108 error JWT_EXPIRES_IN only seeds" in ran.out
    assert "prod.env:3:16: OW105 info JWT_EXPIRES_IN='52w'" in ran.out
    assert ran.status == 1


def test_fail_on_from_the_file_and_the_flag(owui, prod, tmp_path) -> None:
    assert owui("check").status == 1  # OW105 is a warning, the default fail-on
    config(tmp_path, 'fail-on = "error"')
    assert owui("check").status == 0
    assert owui("check", "--fail-on", "warning").status == 1


def test_per_file_ignores_match_globs(owui, prod, tmp_path) -> None:
    env_file(tmp_path / "deploy" / "staging.env", expiry="53w")
    config(tmp_path, '[per-file-ignores]\n"prod*.env" = ["OW1"]\n"deploy/**" = ["OW108"]\n')
    ran = owui("check")
    assert [line.split(":")[0] + " " + line.split(" ")[1] for line in ran.out.splitlines()[:-1]] == [
        "deploy/staging.env OW105"]


def test_min_jwt_expiry(owui, tmp_path) -> None:
    env_file(tmp_path / "prod.env", expiry="30m")
    assert codes(owui("check")) == ["OW108"]
    config(tmp_path, 'min-jwt-expiry = "1h"')
    ran = owui("check")
    assert codes(ran) == ["OW106", "OW108"] and "below the policy minimum of 1 hour" in ran.out


def test_min_secret_key_length(owui, tmp_path) -> None:
    env_file(tmp_path / "prod.env", expiry="4w", key=secrets.token_hex(20))
    assert codes(owui("check")) == ["OW108"]
    config(tmp_path, "min-secret-key-length = 64")
    ran = owui("check")
    assert codes(ran) == ["OW203", "OW108"] and "is 40 bytes" in ran.out and "shorter than 64" in ran.out


def test_allow_no_expiry(owui, tmp_path) -> None:
    env_file(tmp_path / "prod.env", expiry="0s")
    assert codes(owui("check")) == ["OW103", "OW108"]
    config(tmp_path, "allow-no-expiry = true")
    assert codes(owui("check")) == ["OW108"]


def test_known_default_keys_are_public_but_never_named(owui, tmp_path) -> None:
    burned = secrets.token_hex(32)
    env_file(tmp_path / "prod.env", expiry="4w", key=burned)
    config(tmp_path, f'known-default-keys = ["{burned.upper()}"]')
    ran = owui("check")
    assert codes(ran) == ["OW201", "OW108"]
    assert "a key listed in known-default-keys" in ran.out and burned not in ran.out.lower()


def test_assume_openwebui_globs(owui, tmp_path) -> None:
    other_app(tmp_path / "legacy" / "webui.env")
    other_app(tmp_path / "node" / "app.env")
    assert codes(owui("check")) == []  # JWT_EXPIRES_IN alone is not Open WebUI
    config(tmp_path, 'assume-openwebui = ["legacy/*.env"]')
    ran = owui("check")
    assert ran.out.startswith("legacy/webui.env:2:16: OW101 error")
    assert "node/" not in ran.out
    assert "node/app.env:2:16: OW101" in owui("check", "--assume-openwebui").out


def test_exclude_applies_to_walks_and_named_files(owui, prod, tmp_path) -> None:
    env_file(tmp_path / "vendor" / "upstream.env", expiry="3600")
    assert "vendor/upstream.env:3:16: OW101" in owui("check").out
    config(tmp_path, 'exclude = ["vendor/"]')
    assert "vendor" not in owui("check").out
    named = owui("check", "vendor/upstream.env", "prod.env")
    assert "vendor" not in named.out and named.out.endswith("in 1 file.\n")
    (tmp_path / "compose.yaml").write_text("services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                                           "    env_file: vendor/upstream.env\n")
    used = owui("check")
    assert "vendor" not in used.out and used.out.endswith("in 2 files.\n")  # read for compose.yaml, not reported


def test_target_version_changes_the_verdicts(owui, tmp_path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  official:\n    image: ghcr.io/open-webui/open-webui:main\n"
        "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n"
        "  custom:\n    image: registry.example.org/webui:1\n    environment:\n      WEBUI_URL: https://x\n"
        "      JWT_EXPIRES_IN: 4w\n      ENABLE_PERSISTENT_CONFIG: \"False\"\n")
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={KEY}\n")
    latest = owui("check")
    assert codes(latest) == ["OW205"] and "0.9.6+ refuses to start" in latest.out

    config(tmp_path, 'target-version = "0.9.5"')
    old = owui("check")
    assert codes(old) == ["OW201"]
    assert "compose.yaml:6:3: OW201 error service 'custom' in compose.yaml sets no WEBUI_SECRET_KEY: unless its " \
           "start script generates one, Open WebUI 0.9.5 signs tokens with the public fallback 't0p-s3cr3t'" in old.out

    config(tmp_path, 'target-version = "0.6.33"')
    older = owui("check")
    assert codes(older) == ["OW109", "OW201"]
    assert "compose.yaml:2:3: OW109 warning JWT_EXPIRES_IN is unset: Open WebUI 0.6.33 then uses -1 and tokens " \
           "never expire; set a lifetime such as `4w`" in older.out
    assert codes(owui("check", "--target-version", "0.6.34")) == ["OW201"]
    assert codes(owui("check", "--target-version", "0.12.4")) == ["OW205"]


def test_found_by_walking_up_past_a_pyproject_without_our_table(owui, tmp_path) -> None:
    child = tmp_path / "services" / "webui"
    env_file(child / "prod.env")
    (child / "pyproject.toml").write_text('[project]\nname = "unrelated"\n')
    config(tmp_path, '[tool.owui-validate]\nignore = ["OW108"]\n', name="pyproject.toml")
    ran = owui("check", cwd=child)
    assert codes(ran) == ["OW105"]
    assert ran.out.startswith("prod.env:3:16: OW105")  # text keeps the paths as given


def test_dedicated_file_wins_over_pyproject_in_the_same_directory(owui, prod, tmp_path) -> None:
    config(tmp_path, '[tool.owui-validate]\nignore = ["OW108"]\n', name="pyproject.toml")
    config(tmp_path, 'ignore = ["OW105"]')
    assert codes(owui("check")) == ["OW108"]


def test_explicit_config_and_flags_override_it(owui, prod, tmp_path) -> None:
    elsewhere = tmp_path / "conf" / "team.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text('max-jwt-expiry = "52w"\nignore = ["OW108"]\n')
    config(tmp_path, 'select = ["OW2"]')  # not read: --config names the file
    assert codes(owui("check", "--config", str(elsewhere))) == []
    assert codes(owui("check", "--config", str(elsewhere), "--max-jwt-expiry", "4w")) == ["OW105"]
    assert codes(owui("check", "--config", str(elsewhere), "--ignore", "OW105")) == ["OW108"]
    assert codes(owui("check", "--config", str(elsewhere), "--extend-ignore", "OW105")) == []
    assert codes(owui("check", "--config", str(elsewhere), "--max-jwt-expiry", "4w", "--select", "OW108,OW105")) == [
        "OW105"]
    pyproject = config(tmp_path, '[tool.owui-validate]\nmax-jwt-expiry = "52w"\n', name="pyproject.toml")
    assert codes(owui("check", "--config", str(pyproject))) == ["OW108"]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("pyproject.toml", '[tool.owui-validate]\nselct = ["OW1"]\n',
     "pyproject.toml: [tool.owui-validate]: selct: unknown option (did you mean 'select'?)"),
    (".owui-validate.toml", 'max-jwt-expiry = "3600"\n',
     ".owui-validate.toml: max-jwt-expiry: '3600' is not a positive Open WebUI duration such as 4w, 12h or 30m"),
    (".owui-validate.toml", '[severity]\nOW999 = "info"\n',
     ".owui-validate.toml: severity['OW999']: 'OW999' is not a rule code (see `owui-validate rule --all`)"),
    (".owui-validate.toml", '[severity]\nOW101 = "fatal"\n',
     ".owui-validate.toml: severity['OW101']: Input should be 'error', 'warning' or 'info'"),
    (".owui-validate.toml", 'ignore = "OW108"\n', ".owui-validate.toml: ignore: Input should be a list"),
    (".owui-validate.toml", '[per-file-ignores]\n"*.env" = ["W605"]\n',
     ".owui-validate.toml: per-file-ignores['*.env'][0]: 'W605' is not a rule code or prefix such as OW103 or OW1"),
    (".owui-validate.toml", "min-secret-key-length = 0\n",
     ".owui-validate.toml: min-secret-key-length: Input should be greater than or equal to 1"),
    (".owui-validate.toml", 'target-version = "latest"\n',
     ".owui-validate.toml: target-version: not an Open WebUI version: 'latest' (expected e.g. 0.12.4)"),
    (".owui-validate.toml", 'fail-on = "error"\nfail-on = "info"\n',
     ".owui-validate.toml: invalid TOML: Cannot overwrite a value (at line 2, column 17)"),
])
def test_a_bad_file_is_one_line_naming_the_key_and_exits_2(owui_process, prod, tmp_path, name, text, message) -> None:
    config(tmp_path, text, name=name)
    ran = owui_process("check")
    assert (ran.status, ran.out, ran.err) == (2, "", f"owui-validate: error: {message}\n")


@pytest.mark.parametrize(("args", "message"), [
    (("--config", "nowhere.toml"), "nowhere.toml: configuration file not found"),
    (("--config", "pyproject.toml"), "pyproject.toml: no [tool.owui-validate] table"),
    (("--select", "OW1,XX9"), "--select: 'XX9' is not a rule code or prefix such as OW103 or OW1"),
    (("--target-version", "next"), "--target-version: not an Open WebUI version: 'next' (expected e.g. 0.12.4)"),
])
def test_bad_flags_and_missing_files_exit_2(owui, prod, tmp_path, args, message) -> None:
    config(tmp_path, '[project]\nname = "x"\n', name="pyproject.toml")
    ran = owui("check", *args)
    assert (ran.status, ran.out, ran.err) == (2, "", f"owui-validate: error: {message}\n")


def test_published_schema_accepts_every_option_and_rejects_unknown_ones() -> None:
    schema = json.loads((REPO / "schemas/config.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    full = {
        "select": ["OW1", "OW2"], "ignore": ["OW107"], "extend-ignore": ["OW108"], "severity": {"OW208": "error"},
        "per-file-ignores": {"examples/**": ["OW2"]}, "fail-on": "error", "max-jwt-expiry": "2w",
        "min-jwt-expiry": "5m", "min-secret-key-length": 48, "allow-no-expiry": True, "known-default-keys": ["x"],
        "assume-openwebui": ["deploy/*.env"], "exclude": ["vendor/"], "target-version": "0.6.5",
    }
    assert list(validator.iter_errors(full)) == []
    assert [error.validator for error in validator.iter_errors({"selct": ["OW1"]})] == ["additionalProperties"]
    from validator.settings.config import Config

    assert sorted(Config.option_names()) == sorted(full)


def test_the_readme_example_is_a_valid_configuration(tmp_path) -> None:
    import re

    from validator.settings import config

    readme = (REPO / "README.md").read_text("utf-8")
    example = re.search(r"### Configuration.*?```toml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    path = tmp_path / "pyproject.toml"
    path.write_text(example.group(1))
    loaded = config.validate(config.read(path), "README")
    assert loaded.severity == {"OW208": "error"} and loaded.per_file_ignores == {"examples/**": ("OW2",)}


def test_an_empty_key_never_falls_back_whatever_the_target(owui, tmp_path) -> None:
    """Open WebUI reads `os.environ.get(NAME, 't0p-s3cr3t')`: a set-but-empty key stays empty, and
    with authentication on the server refuses to start in every release (openwebui-behaviour.md)."""
    (tmp_path / "compose.yaml").write_text(
        "services:\n  custom:\n    image: registry.example.org/webui:1\n    environment:\n"
        "      WEBUI_URL: https://x\n      WEBUI_SECRET_KEY: \"\"\n      JWT_EXPIRES_IN: 4w\n"
        "      ENABLE_PERSISTENT_CONFIG: \"False\"\n")
    for target in ("0.6.33", "0.9.5", "0.12.4"):
        assert codes(owui("check", "--target-version", target)) == ["OW202"]


# --- hostile configuration files (issue 11) -------------------------------------------------------


def _check_with_config(cli, tmp_path: Path, config: str):  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("JWT_EXPIRES_IN=4w\n")
    return cli("check", "--config", config, ".env", cwd=tmp_path)


def test_a_fifo_as_config_is_a_usage_error_not_a_hang(cli, tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "owui.toml")
    result = _check_with_config(cli, tmp_path, "owui.toml")  # a blocked open would hit run_cli's timeout
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "owui-validate: error: owui.toml: is a FIFO, not a regular file: not read\n"


def test_dev_zero_as_config_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = _check_with_config(cli, tmp_path, "/dev/zero")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.endswith("dev/zero: is a character device, not a regular file: not read\n")
    assert len(result.stderr.splitlines()) == 1


def test_config_nested_5000_deep_is_one_line_not_a_traceback(cli, tmp_path: Path) -> None:
    (tmp_path / "owui.toml").write_text("select = " + "[" * 5000 + "]" * 5000 + "\n")
    result = _check_with_config(cli, tmp_path, "owui.toml")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "owui-validate: error: owui.toml: invalid TOML: nested too deeply to read\n"


@pytest.mark.parametrize("value", ['"yes"', '"true"', "1", '"off"'])
def test_allow_no_expiry_takes_only_toml_booleans(cli, tmp_path: Path, value: str) -> None:
    (tmp_path / "owui.toml").write_text(f"allow-no-expiry = {value}\n")
    result = _check_with_config(cli, tmp_path, "owui.toml")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "owui-validate: error: owui.toml: allow-no-expiry: Input should be a valid boolean\n"
