"""The composite GitHub Action (action.yml): its check step, run by bash as the runner runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text("utf-8"))


def step(name: str) -> dict:
    return next(s for s in action()["runs"]["steps"] if s.get("name") == name)


def run_step(cwd: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    """The `owui-validate check` step with these inputs (defaults from action.yml), owui-validate on PATH."""
    defaults = {name: spec.get("default", "") for name, spec in action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {**os.environ, "PATH": f"{sysconfig.get_path('scripts')}:{os.environ['PATH']}", "NO_COLOR": "1"}
    for variable, expression in step("owui-validate check")["env"].items():
        env[variable] = values[expression.removeprefix("${{ inputs.").removesuffix(" }}")]
    return subprocess.run(["bash", "-e", "-c", step("owui-validate check")["run"]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_composite_action_installs_from_its_own_checkout() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert step("Install owui-validate")["run"] == 'python -m pip install --quiet "$GITHUB_ACTION_PATH"'
    assert {"paths", "format", "output", "args", "exit-zero"} <= set(spec["inputs"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / ".env").write_text("WEBUI_SECRET_KEY=t0p-s3cr3t\nJWT_EXPIRES_IN=4w\n")
    return tmp_path


def test_annotations_by_default_and_the_step_fails_on_findings(project: Path) -> None:
    ran = run_step(project)
    assert ran.returncode == 1
    assert ran.stdout.startswith("::error file=deploy/.env,line=1,col=18,endColumn=28,title=OW201::")


def test_sarif_with_exit_zero_writes_the_file_and_passes(project: Path) -> None:
    ran = run_step(project, format="sarif", paths="deploy", **{"exit-zero": "true"})
    assert ran.returncode == 0, ran.stderr
    sarif = json.loads((project / "owui-validate.sarif").read_text())
    assert [result["ruleId"] for result in sarif["runs"][0]["results"]][0] == "OW201"


def test_bad_arguments_still_fail_with_exit_zero(project: Path) -> None:
    ran = run_step(project, args="--select NOPE", **{"exit-zero": "true"})
    assert ran.returncode == 2 and ran.stderr.startswith("owui-validate: error: --select")
