from __future__ import annotations

import re
from pathlib import Path

from validator import __version__
from validator.rules import catalog

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>OW\d{3}) (?P<sev>error|warning|info) .+$")


def test_output_format_and_exit_status(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"prod.env": "WEBUI_URL=https://chat.example.com\nexport JWT_EXPIRES_IN='1mo'\n"})
    result = cli("check", "prod.env", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert LINE.match(lines[0]).groupdict() == {"path": "prod.env", "line": "2", "col": "24", "code": "OW102",
                                                "sev": "error"}
    assert lines[-1] == "Found 2 problems (1 error, 1 info) in 1 file."
    assert "\033[" not in result.stdout  # not a terminal: no colour
    assert result.stderr == ""


def test_fail_on_threshold(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"prod.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=1h30m\nENABLE_PERSISTENT_CONFIG=false\n"})
    assert cli("check", ".", cwd=tmp_path).returncode == 0  # OW107 is info; default threshold is warning
    assert cli("check", ".", "--fail-on", "info", cwd=tmp_path).returncode == 1
    write(tmp_path, {"prod.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=0s\nENABLE_PERSISTENT_CONFIG=false\n"})
    assert cli("check", ".", cwd=tmp_path).returncode == 1
    assert cli("check", ".", "--fail-on", "error", cwd=tmp_path).returncode == 0


def test_no_paths_means_current_directory_and_quiet_drops_the_summary(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"sub/.env": "WEBUI_NAME=x\nJWT_EXPIRES_IN=3600\n"})
    result = cli("check", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert [LINE.match(line)["code"] for line in result.stdout.splitlines()] == ["OW101", "OW108"]


def test_clean_run(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"app.env": "PORT=1\n"})
    result = cli("check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "No problems in 1 file.\n")


def test_policy_flags(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"prod.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=2d\nENABLE_PERSISTENT_CONFIG=false\n"})
    assert cli("check", ".", cwd=tmp_path).returncode == 0
    result = cli("check", ".", "--max-jwt-expiry", "1d", cwd=tmp_path)
    assert result.returncode == 1 and "OW105" in result.stdout and "above the policy maximum of 1 day" in result.stdout


def test_bad_flag_values_are_usage_errors(cli, tmp_path: Path) -> None:
    bad = cli("check", "--max-jwt-expiry", "1mo", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("owui-validate: error: --max-jwt-expiry: '1mo' is not a positive Open WebUI "
                                  "duration such as 4w, 12h or 30m")
    assert "Traceback" not in bad.stderr
    assert cli("check", "--fail-on", "never", cwd=tmp_path).returncode == 2
    assert cli("check", "--target-version", "latest", cwd=tmp_path).returncode == 2
    assert cli(cwd=tmp_path).returncode == 2


def test_rule_documentation_comes_from_the_docstring(cli) -> None:
    result = cli("rule", "ow102")
    assert result.returncode == 0
    assert result.stdout.startswith("# OW102 jwt-expiry-partly-ignored (error)\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in result.stdout
    assert catalog()["OW102"].doc() in result.stdout
    assert cli("rule", "OW999").returncode == 2


def test_every_rule_is_documented_in_the_four_sections(cli) -> None:
    listing = cli("rule", "--all").stdout.splitlines()
    assert [line.split()[0] for line in listing] == list(catalog())
    for rule in catalog().values():
        for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert heading in rule.doc(), (rule.code, heading)


def test_version(cli) -> None:
    result = cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"owui-validate {__version__}")


def test_console_script_is_the_same_program(tmp_path: Path, write) -> None:
    import subprocess
    import sysconfig

    script = Path(sysconfig.get_path("scripts")) / "owui-validate"
    assert script.exists(), "the package must be installed (pip install -e .) for its console script"
    write(tmp_path, {".env": "WEBUI_AUTH=true\nJWT_EXPIRES_IN=1H\n"})
    result = subprocess.run([script, "check", "-q", "."], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and ".env:2:16: OW101 error" in result.stdout


def test_output_cut_short_by_the_reader_is_not_a_traceback(tmp_path: Path, write) -> None:
    import subprocess
    import sys

    write(tmp_path, {f"d{i}/prod.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=1mo\n" for i in range(400)})
    pipeline = subprocess.run(f"{sys.executable} -m validator check . | head -1", shell=True, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
    assert pipeline.stdout.count("\n") == 1 and "OW102" in pipeline.stdout
    assert pipeline.stderr == ""
