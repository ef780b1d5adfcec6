"""The pre-commit hook: its `files` pattern, and a real `pre-commit try-repo` run in a git repo."""

from __future__ import annotations

import os
import re
import subprocess
import sysconfig
from pathlib import Path

import pytest
import yaml

from validator.sources import discover

REPO = Path(__file__).resolve().parent.parent

MATCHES = [
    ".env", ".env.local", ".env.production", "deploy/.env", "prod.env", "deploy/staging.env", ".env.example",
    "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.prod.yaml", "compose.override.yaml",
    "infra/openwebui/deployment.yaml", "k8s/values-prod.yml", "a/b/c/anything.yaml",
]
REJECTS = [
    ".envrc", "environment.py", "env/README.md", "README.md", "setup.cfg", "compose.json", "Dockerfile",
    "docs/env.md", "deploy/.env/notes.txt", "yaml", "values.yaml.j2", "x.environment",
]


def hook() -> dict:
    (manifest,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return manifest


def test_manifest_runs_the_check_command_serially() -> None:
    manifest = hook()
    assert (manifest["id"], manifest["entry"], manifest["language"]) == (
        "owui-validate", "owui-validate check --repository-context", "python")
    assert manifest["require_serial"] is True


@pytest.mark.parametrize("path", MATCHES)
def test_files_pattern_matches_deployment_files(path: str) -> None:
    # pre-commit applies `files` with re.search to the repository-relative path.
    assert re.search(hook()["files"], path), path
    assert discover.kind_of(path) is not None


@pytest.mark.parametrize("path", REJECTS)
def test_files_pattern_rejects_other_files(path: str) -> None:
    assert not re.search(hook()["files"], path), path
    assert discover.kind_of(path) is None


def _tool(name: str) -> str:
    path = Path(sysconfig.get_path("scripts")) / name
    if not path.exists():
        pytest.skip(f"{name} is not installed beside this Python ({path}); install the [test] extra")
    return str(path)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the module: pre-commit builds it once (pip install of this repo)."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([_tool("pre-commit"), "try-repo", str(REPO), "owui-validate", "--all-files", "--color",
                           "never"], cwd=project, env=env, capture_output=True, text=True, timeout=600)


def git_project(root: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


def test_try_repo_fails_on_a_bad_file_and_passes_on_a_good_one(tmp_path: Path, pre_commit_home: Path) -> None:
    bad = git_project(tmp_path / "bad", {
        "deploy/.env": "WEBUI_SECRET_KEY=t0p-s3cr3t\nJWT_EXPIRES_IN=1mo\n",
        "node/.env": "JWT_EXPIRES_IN=3600\nJWT_SECRET=x\n",
        "notes.txt": "JWT_EXPIRES_IN=3600\n",
    })
    result = try_repo(bad, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "deploy/.env:1:18: OW201 error" in result.stdout
    assert "deploy/.env:2:16: OW102 error" in result.stdout
    assert "node/.env" not in result.stdout and "notes.txt" not in result.stdout

    good = git_project(tmp_path / "good", {
        "compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY:?set it in .env}\n",
        "node/.env": "JWT_EXPIRES_IN=3600\n",
    })
    result = try_repo(good, pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_split_runs_give_the_verdict_of_one_whole_repository_check(tmp_path: Path, pre_commit_home: Path) -> None:
    """1500 tenants under a deep path are over pre-commit's 128 KiB of arguments, so it runs the hook
    several times; the first and the last tenant share a key (OW208) and land in different runs, and
    the run's one OW108 note counts the tenants of every run."""
    import hashlib

    base = "clusters/eu-west-1/production/customer-workloads/open-webui/tenants"
    files = {}
    for number in range(1500):
        key = hashlib.sha256(f"tenant {number}".encode()).hexdigest()
        files[f"{base}/tenant-{number:04d}/config/.env"] = f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=4w\n"
    shared = f"WEBUI_SECRET_KEY={hashlib.sha256(b'shared').hexdigest()}\nENABLE_PERSISTENT_CONFIG=False\n"
    files[f"{base}/tenant-0000/config/.env"] = files[f"{base}/tenant-1499/config/.env"] = shared
    project = git_project(tmp_path / "tenants", files)
    assert len(" ".join(files)) > 2**17  # more than one run's worth of arguments

    result = try_repo(project, pre_commit_home)
    summaries = [line for line in result.stdout.splitlines() if line.startswith(("Found ", "No problems"))]
    assert len(summaries) >= 2, result.stdout  # pre-commit did split the list
    assert all(" in 1500 files" not in line for line in summaries)
    hooked = sorted(line for line in result.stdout.splitlines() if ": OW" in line)

    whole = subprocess.run([_tool("owui-validate"), "check", "--fail-on", "info", "."], cwd=project, capture_output=True, text=True,
                           timeout=600, env={**os.environ, "NO_COLOR": "1"})
    expected = sorted(line for line in whole.stdout.splitlines() if ": OW" in line)
    assert [line.split(" ")[:2] for line in expected] == [
        [f"{base}/tenant-0000/config/.env:1:18:", "OW208"], [f"{base}/tenant-0001/config/.env:2:16:", "OW108"],
        [f"{base}/tenant-1499/config/.env:1:18:", "OW208"]]
    assert "(here and 1497 more;" in expected[1]
    assert hooked == expected
    assert result.returncode == 1
