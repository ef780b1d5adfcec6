"""`owui-validate tokens` end to end: real subprocess runs on the bundled examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from validator import engine, generate

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "tokens-report.schema.json"
# Every key value written in the examples (t0p-s3cr3t is public and may be named).
EXAMPLE_KEYS = ("414c5f0eb09d24d591fa89d3bf2390ad34c66311ed28fd45225c946f0827184b",
                "742d1a2226c58f02663816040779c896c3d8723d515ac7b05638531b26568e11",
                "Xk29sLq0pR", "abcdefghijklmnopqrstuvwxyz0123456789", "4e5aac4222dbeceefa066eb4ebd1237a3041a21095e1")


def owui(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, timeout=60)


@pytest.fixture(scope="module")
def bad_json() -> dict:
    result = owui("tokens", "--format", "json", "examples/bad")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def failures(report: dict) -> dict[str, list[tuple[int, str | None]]]:
    return {env["name"]: [(c["number"], c["rule"]) for c in env["checks"] if c["status"] == "fail"]
            for env in report["environments"]}


def test_bad_examples_fail_for_the_reasons_their_findings_predict(bad_json: dict) -> None:
    assert failures(bad_json) == {
        "service 'open-webui' in examples/bad/compose.yaml": [(6, "OW201")],
        "service 'open-webui-canary' in examples/bad/compose.yaml": [(1, "OW101")],
        "service 'open-webui-legacy' in examples/bad/compose.yaml": [(1, "OW206")],
        "service 'open-webui-edge' in examples/bad/compose.yaml": [],
        "env file examples/bad/dev.env": [(1, "OW106"), (5, "OW106")],
        "env file examples/bad/oauth.env": [(1, "OW210")],
        "env file examples/bad/production.env": [],
        "env file examples/bad/staging.env": [(4, "OW103")],
        "env file examples/bad/test.env": [(1, "OW202"), (5, "OW104")],
        "env file examples/bad/weak.env": [(1, "OW101")],
    }
    assert bad_json["passed"] is False and bad_json["margin_seconds"] == 1


def test_every_failure_names_a_finding_that_check_reports_for_that_deployment(bad_json: dict) -> None:
    findings = engine.check(["examples/bad"]).findings
    for name, failed in failures(bad_json).items():
        for _, rule in failed:
            assert any(f.code == rule and (name in f.deployments or name.endswith(f" {f.location.path}"))
                       for f in findings), (name, rule)


def test_json_matches_the_exported_schema(bad_json: dict) -> None:
    jsonschema.validate(bad_json, json.loads(SCHEMA.read_text()))


def test_exported_schema_is_fresh() -> None:
    assert generate.schemas()["schemas/tokens-report.schema.json"] == SCHEMA.read_text()


def test_text_output_shows_lifetime_key_and_instants() -> None:
    result = owui("tokens", "examples/bad/compose.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    start = lines.index("service 'open-webui' in examples/bad/compose.yaml (examples/bad/compose.yaml:3:3)")
    assert lines[start + 1] == ("  lifetime: 1 minute (Open WebUI ignores 'o'); "
                                "JWT_EXPIRES_IN='1mo' at examples/bad/compose.yaml:9:23")
    assert lines[start + 2] == ("  key: configured, 10 bytes, sha256 103a750d: WEBUI_SECRET_KEY at "
                                "examples/bad/compose.yaml:8:25: the publicly known key 't0p-s3cr3t'")
    assert lines[start + 3] == "  pass 1 fresh-token: accepted; exp - iat = 60 s, expected 60 s (1 minute)"
    assert lines[start + 4].startswith("         iat 20") and ", decoded 20" in lines[start + 4]
    assert any(line.startswith("  FAIL 6 forgery [OW201]: a forged admin session token signed with the public key "
                               "'t0p-s3cr3t' is accepted") for line in lines)
    assert lines[-1] == "3 checks failed in 3 of 4 environments; margin 1 s."


def test_good_example_passes() -> None:
    result = owui("tokens", "examples/good")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "All checks passed in 1 environment; margin 1 s."


def test_no_key_value_is_ever_printed() -> None:
    for args in (("tokens", "examples"), ("tokens", "--format", "json", "examples")):
        result = owui(*args)
        for key in EXAMPLE_KEYS:
            assert key not in result.stdout + result.stderr


@pytest.mark.parametrize(("margin", "seconds"), [("5", 5), ("5s", 5), ("1m", 60)])
def test_margin(margin: str, seconds: int) -> None:
    result = owui("tokens", "--format", "json", "--margin", margin, "examples/good")
    report = json.loads(result.stdout)
    assert report["margin_seconds"] == seconds
    before = report["environments"][0]["checks"][1]
    assert before["detail"] == f"issued {43200 - seconds} s ({_words(43200 - seconds)}) ago, {seconds} s before it expires: accepted"


def _words(seconds: int) -> str:
    from validator.openwebui.durations import in_words

    return in_words(seconds)


@pytest.mark.parametrize(("margin", "message"), [
    ("0", "owui-validate: error: --margin: a whole number of seconds, at least 1"),
    ("1.5s", "owui-validate: error: --margin: a whole number of seconds, at least 1"),
    ("soon", "owui-validate: error: --margin is not a number of seconds or a duration such as 5s"),
])
def test_bad_margin_is_a_usage_error(margin: str, message: str) -> None:
    result = owui("tokens", "--margin", margin, "examples/good")
    assert (result.returncode, result.stderr.strip(), result.stdout) == (2, message, "")


def test_allow_no_expiry_passes_the_staging_env() -> None:
    result = owui("tokens", "--allow-no-expiry", "examples/bad/staging.env")
    assert result.returncode == 0
    assert "  pass 4 ten-years-old: issued ten years ago, no exp claim: accepted, as the policy allows " \
           "(allow-no-expiry)" in result.stdout


def test_check_never_imports_jwt_or_the_harness() -> None:
    code = ("import sys\nfrom validator.cli import main\nmain(['check', '-q', 'examples'])\n"
            "print(sorted(m for m in sys.modules if m == 'jwt' or m.startswith(('jwt.', 'validator.harness'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "[]"


def test_an_env_file_is_checked_through_the_services_that_use_it() -> None:
    # webui.env is the env_file of one compose service; the other services beside it are not asked about.
    result = owui("tokens", "--format", "json", "examples/bad/webui.env")
    names = [env["name"] for env in json.loads(result.stdout)["environments"]]
    assert names == ["service 'open-webui' in examples/bad/compose.yaml"]


def test_tokens_reads_the_same_configuration_and_flags_as_check(tmp_path: Path) -> None:
    """With `allow-no-expiry = true`, `check` passes a never-expiring lifetime and so must `tokens`."""
    key = "9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e0d1f3a5b7c"
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=0s\nENABLE_PERSISTENT_CONFIG=False\n")

    def run(*args: str) -> int:
        return subprocess.run([sys.executable, "-m", "validator", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60).returncode

    assert (run("check", "."), run("tokens", ".")) == (1, 1)
    assert (run("check", "--ignore", "OW103", "."), run("tokens", "--ignore", "OW103", ".")) == (0, 0)
    (tmp_path / ".owui-validate.toml").write_text("allow-no-expiry = true\n")
    assert (run("check", "."), run("tokens", ".")) == (0, 0)
    # The target version decides what an unset JWT_EXPIRES_IN means: -1 (never) before 0.6.34.
    (tmp_path / ".owui-validate.toml").write_text('target-version = "0.6.5"\n')
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={key}\nENABLE_PERSISTENT_CONFIG=False\n")
    assert (run("check", "."), run("tokens", ".")) == (1, 1)
    assert (run("check", "--target-version", "0.12.4", "."), run("tokens", "--target-version", "0.12.4", ".")) == (0, 0)
    assert run("tokens", "--config", "missing.toml", ".") == 2
