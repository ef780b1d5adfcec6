"""`owui-validate check` as users bring their habits from ruff: standard input, .gitignore,
--exit-zero, --explain, --statistics, --color, --repository-context; real files, real git, subprocesses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

STRONG = "9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e0d1f3a5b7c"
COMPOSE = f"""\
services:
  open-webui:
    image: ghcr.io/open-webui/open-webui:main
    environment:
      WEBUI_SECRET_KEY: ${{WEBUI_SECRET_KEY}}
      JWT_EXPIRES_IN: 4w
      ENABLE_PERSISTENT_CONFIG: "False"
"""
# What `helm template` prints for the open-webui chart: rendered manifests, `---` separated.
RENDERED = """\
---
# Source: open-webui/templates/workload-manager.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: open-webui
spec:
  replicas: 1
  selector: {matchLabels: {app: open-webui}}
  template:
    spec:
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:0.6.5
          env:
            - name: WEBUI_SECRET_KEY
              value: "t0p-s3cr3t"
            - name: JWT_EXPIRES_IN
              value: "1H"
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def lines(stdout: str) -> list[str]:
    return stdout.splitlines()[:-1]


def test_stdin_with_a_name_is_checked_and_reported_under_it(cli, tmp_path: Path) -> None:
    result = cli("check", "-", "--stdin-filename", "rendered/open-webui.yaml", cwd=tmp_path, stdin=RENDERED)
    assert result.returncode == 1, result.stderr
    codes = [line.split(" ")[:2] for line in lines(result.stdout)]
    assert ["rendered/open-webui.yaml:17:23:", "OW201"] in codes
    assert ["rendered/open-webui.yaml:19:23:", "OW101"] in codes
    assert "t0p-s3cr3t" not in result.stdout.replace("'t0p-s3cr3t'", "")  # named as the public key only
    assert not (tmp_path / "rendered").exists()


def test_stdin_kind_is_guessed_from_the_content(cli, tmp_path: Path) -> None:
    # `kustomize build` output under a name that says nothing, and an env file with none at all.
    as_yaml = cli("check", "-", "--stdin-filename", "build-output", cwd=tmp_path, stdin=RENDERED)
    assert "build-output:19:23: OW101" in as_yaml.stdout
    as_env = cli("check", "-", cwd=tmp_path, stdin=f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=1mo\n")
    assert as_env.stdout.startswith("<stdin>:2:16: OW102 error JWT_EXPIRES_IN='1mo' is read as 1 minute")


def test_stdin_filename_without_dash_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("check", "--stdin-filename", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "give `-` as the path too" in result.stderr


def test_exit_zero_prints_findings_but_keeps_usage_errors(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=3600\n")
    found = cli("check", "--exit-zero", ".", cwd=tmp_path)
    assert found.returncode == 0 and ".env:2:16: OW101 error" in found.stdout
    assert cli("check", ".", cwd=tmp_path).returncode == 1
    bad_config = cli("check", "--exit-zero", "--select", "XX1", ".", cwd=tmp_path)
    assert bad_config.returncode == 2 and bad_config.stdout == ""
    sarif = tmp_path / "out.sarif"
    assert cli("check", "--exit-zero", "--format", "sarif", "-o", str(sarif), ".", cwd=tmp_path).returncode == 0
    assert json.loads(sarif.read_text())["runs"][0]["results"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository whose developer keeps a local, gitignored `.env` holding a test key."""
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(".env\nscratch/\n")
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / ".env").write_text("WEBUI_SECRET_KEY=t0p-s3cr3t\n")
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "old.env").write_text("WEBUI_SECRET_KEY=changeme\nJWT_EXPIRES_IN=1mo\n")
    git(tmp_path, "add", "-A")
    return tmp_path


def test_walks_skip_what_git_ignores(cli, project: Path) -> None:
    walked = cli("check", ".", cwd=project)
    assert "scratch/old.env" not in walked.stdout and ".env:1" not in walked.stdout
    # The compose file's gitignored .env is absent, as in CI: its test key decides nothing.
    assert "t0p-s3cr3t" not in walked.stdout and "OW201" not in walked.stdout


def test_named_files_are_always_checked(cli, project: Path) -> None:
    named = cli("check", "scratch/old.env", ".env", cwd=project)
    assert "scratch/old.env:1:18: OW201" in named.stdout and ".env:1:18: OW201" in named.stdout


def test_no_respect_gitignore_checks_everything(cli, project: Path) -> None:
    everything = cli("check", "--no-respect-gitignore", ".", cwd=project)
    assert "scratch/old.env:2:16: OW102" in everything.stdout
    assert ".env:1:18: OW201" in everything.stdout


def test_explain_prints_the_explanation_under_each_finding(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=3600\n")
    short = cli("check", ".", cwd=tmp_path).stdout.splitlines()
    explained = cli("check", "--explain", ".", cwd=tmp_path).stdout.splitlines()
    assert short[0] == ".env:2:16: OW101 error JWT_EXPIRES_IN='3600' is rejected by Open WebUI: every sign-in " \
        "fails with HTTP 500; use `3600s` or `1h`"
    assert explained[0] == short[0]
    assert explained[1] == "    Open WebUI rejects it: it has no number followed by a unit: ms, s, m, h, d or w."
    assert all(len(line) < 160 for line in short)


def test_statistics_count_findings_per_code(cli, tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / ".env").write_text(f"WEBUI_SECRET_KEY={STRONG[:-1]}{name}\nJWT_EXPIRES_IN=3600\n")
    result = cli("check", "--statistics", ".", cwd=tmp_path)
    assert "3  OW101  jwt-expiry-rejected" in result.stdout.splitlines()
    assert "1  OW108  jwt-expiry-seeds-stored-setting" in result.stdout.splitlines()
    as_json = cli("check", "--statistics", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(as_json.stdout)["summary"]["findings"] == 4
    assert "3  OW101  jwt-expiry-rejected" in as_json.stderr


@pytest.mark.parametrize(("args", "environ", "coloured"), [
    (("--color", "always"), {}, True),
    (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {}, False),  # not a terminal
    ((), {"FORCE_COLOR": "0"}, False),
])
def test_colour(cli, tmp_path: Path, args: tuple[str, ...], environ: dict[str, str], coloured: bool) -> None:
    # The subprocess runs with NO_COLOR=1 and a pipe for stdout: FORCE_COLOR and --color still decide.
    (tmp_path / ".env").write_text(f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=3600\n")
    result = cli("check", *args, ".", cwd=tmp_path, env={"FORCE_COLOR": "", **environ})
    assert ("\033[31m" in result.stdout) is coloured


def test_ow108_once_by_default_and_per_value_when_selected(cli, tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / ".env").write_text(f"WEBUI_SECRET_KEY={STRONG[:-1]}{name}\nJWT_EXPIRES_IN=2w\n")
    quiet = cli("check", "--fail-on", "info", ".", cwd=tmp_path)
    assert lines(quiet.stdout) == ["a/.env:2:16: OW108 info JWT_EXPIRES_IN only seeds the stored setting on first "
                                   "start (here and 2 more; see `owui-validate rule OW108`)"]
    selected = cli("check", "--select", "OW108", ".", cwd=tmp_path)
    assert [line.split(" ")[0] for line in lines(selected.stdout)] == ["a/.env:2:16:", "b/.env:2:16:", "c/.env:2:16:"]
    (tmp_path / ".owui-validate.toml").write_text('severity = {OW108 = "warning"}\n')
    configured = cli("check", ".", cwd=tmp_path)
    assert len(lines(configured.stdout)) == 3 and configured.returncode == 1
    explained = cli("check", "--format", "json", ".", cwd=tmp_path / "a")
    assert json.loads(explained.stdout)["findings"][0]["explanation"].startswith("After that, changing it")


def test_repository_context_gives_a_file_its_whole_repository_verdict(cli, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    for tenant in ("acme", "globex", "initech"):
        (tmp_path / "tenants" / tenant).mkdir(parents=True)
    shared = STRONG
    (tmp_path / "tenants/acme/.env").write_text(f"WEBUI_SECRET_KEY={shared}\nENABLE_PERSISTENT_CONFIG=False\n")
    (tmp_path / "tenants/globex/.env").write_text(f"WEBUI_SECRET_KEY={shared}\nENABLE_PERSISTENT_CONFIG=False\n")
    (tmp_path / "tenants/initech/.env").write_text(f"WEBUI_SECRET_KEY={STRONG[::-1]}\n")
    git(tmp_path, "add", "-A")
    whole = [line for line in lines(cli("check", ".", cwd=tmp_path).stdout) if line.startswith("tenants/acme/")]
    assert whole and "OW208" in whole[0]
    alone = cli("check", "tenants/acme/.env", cwd=tmp_path)
    assert "OW208" not in alone.stdout  # without context, the other tenant is unknown
    with_context = cli("check", "--repository-context", "tenants/acme/.env", cwd=tmp_path)
    assert lines(with_context.stdout) == whole
    assert with_context.stdout.endswith("in 1 file.\n")
