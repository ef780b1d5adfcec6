"""The paths taken for speed change nothing: both cores give the same findings as one, every file
is read and parsed once, and a check imports nothing it does not use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from validator import engine, parallel
from validator.sources import compose, dotenv, files, helm, yamlfile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from generate_tree import generate  # noqa: E402 - bench/ is not a package


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated tree: env files with `export`, compose with a shared env_file, manifests, Helm values."""
    root = tmp_path_factory.mktemp("bench") / "tree"
    generate(str(root), 150)
    return root


def run(paths: list[str], *, parallel_from: int, monkeypatch: pytest.MonkeyPatch) -> engine.Result:
    monkeypatch.setattr(parallel, "MIN_FILES", parallel_from)
    return engine.check(paths)


def summary(result: engine.Result) -> tuple[object, ...]:
    return (result.findings, result.files, [(d.name, d.kind, d.location, d.settings) for d in result.deployments],
            result.errors)


@pytest.mark.parametrize("where", ["examples", "tree"])
def test_both_cores_give_the_same_result_as_one(where: str, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(REPO / "examples")] if where == "examples" else [str(tree)]
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    one = run(paths, parallel_from=10**9, monkeypatch=monkeypatch)
    assert forks == []
    both = run(paths, parallel_from=0, monkeypatch=monkeypatch)
    assert forks == [1]
    assert summary(both) == summary(one)
    assert len(one.findings) > 20
    codes = {finding.code for finding in one.findings}
    assert {"OW101", "OW102", "OW201"} <= codes
    # Suppression comments are still found in the texts the child read.
    assert both.workspace is not None and one.workspace is not None
    assert both.workspace.texts().keys() == one.workspace.texts().keys()


def test_the_cli_output_is_the_same_on_both_paths(tree: Path) -> None:
    def check(parallel_from: int) -> subprocess.CompletedProcess[str]:
        code = ("import sys; from validator import parallel; parallel.MIN_FILES = int(sys.argv[1]); "
                "from validator.cli import main; raise SystemExit(main(sys.argv[2:]))")
        return subprocess.run([sys.executable, "-c", code, str(parallel_from), "check", str(tree)],
                              capture_output=True, text=True, check=False)

    one, both = check(10**9), check(0)
    assert (both.returncode, both.stdout, both.stderr) == (one.returncode, one.stdout, one.stderr)
    assert one.returncode == 1 and one.stdout.count("\n") > 50


def test_a_failing_child_costs_only_time(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = run([str(tree)], parallel_from=10**9, monkeypatch=monkeypatch)
    real_load = engine._load

    def load(ws: files.Workspace, path: str, errors: list) -> object:  # type: ignore[type-arg]
        if os.getpid() != parent:
            os._exit(7)  # the child dies before sending anything
        return real_load(ws, path, errors)

    parent = os.getpid()
    monkeypatch.setattr(engine, "_load", load)
    both = run([str(tree)], parallel_from=0, monkeypatch=monkeypatch)
    assert summary(both) == summary(one)


@pytest.mark.parametrize("parallel_from", [10**9, 0])
def test_every_file_is_read_and_parsed_once(parallel_from: int, tree: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted in a log both processes append to: a compose file's `.env`, the shared env file and
    Chart.yaml are each read once per run, whichever path reads them."""
    log = tmp_path / "reads.log"

    def logged(kind: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args):  # type: ignore[no-untyped-def]
            path = args[-1]
            with open(log, "a", encoding="utf-8") as stream:
                stream.write(f"{kind} {path}\n")
            return function(*args)
        return wrapper

    monkeypatch.setattr(files.Workspace, "_read", logged("read", files.Workspace._read))
    load_documents, parse_dotenv = logged("yaml", yamlfile.load_documents), logged("dotenv", dotenv.parse_dotenv)
    for module in (yamlfile, helm):
        monkeypatch.setattr(module, "load_documents", load_documents)
    for module in (dotenv, compose):
        monkeypatch.setattr(module, "parse_dotenv", parse_dotenv)
    result = run([str(tree), str(REPO / "examples")], parallel_from=parallel_from, monkeypatch=monkeypatch)
    lines = log.read_text("utf-8").splitlines()
    repeated = sorted({line for line in lines if lines.count(line) > 1})
    assert repeated == []
    read = {line.split(" ", 1)[1] for line in lines if line.startswith("read ")}
    shared = os.path.join(str(tree), "shared", "common.env")
    assert shared in read and set(result.files) <= read
    assert sum(line.startswith("yaml ") for line in lines) > 100


def test_a_check_imports_only_what_it_uses(tree: Path) -> None:
    """No pydantic (its import alone costs what yamllint's whole run does), jwt, database drivers,
    json, TOML, or multiprocessing on the pre-commit path, for each kind of file."""
    heavy = ("pydantic", "pydantic_core", "jwt", "sqlite3", "psycopg", "json", "tomllib", "tomli", "email",
             "http", "ssl", "multiprocessing", "concurrent", "importlib.metadata", "annotated_types",
             "typing_extensions")
    code = ("import sys; from validator.cli import main; status = main(sys.argv[1:]); "
            f"print(sorted(m for m in sys.modules if m in {heavy!r} or m.split('.')[0] in {heavy!r}))")
    for target in ("app-0000/compose.yaml", "app-0000/.env", "app-0001/k8s/open-webui.yaml",
                   "app-0001/helm/values.yaml", "."):
        ran = subprocess.run([sys.executable, "-c", code, "check", "--quiet", "--output", os.devnull, target],
                             cwd=tree, capture_output=True, text=True, check=True)
        assert ran.stdout == "[]\n", target
