"""The benchmark runs: a smoke test with a tiny tree and one round (it never asserts a time)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_generator_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(REPO / "bench/generate_tree.py"), str(tmp_path / name), "--files", "40"],
                       check=True, capture_output=True)
    first = {path.relative_to(tmp_path / "a"): path.read_bytes() for path in (tmp_path / "a").rglob("*") if path.is_file()}
    second = {path.relative_to(tmp_path / "b"): path.read_bytes() for path in (tmp_path / "b").rglob("*") if path.is_file()}
    assert first == second and len(first) == 40
    names = {path.name for path in first}
    assert {".env", "compose.yaml", "open-webui.yaml", "values.yaml", "Chart.yaml", "common.env"} <= names
    env = first[Path("app-0000/.env")].decode()
    assert "export " in env and "'" in env and '"' in env and "${DB_PASSWORD}" in env
    assert b"---\n" in first[Path("app-0000/k8s/open-webui.yaml")]


def test_the_script_prints_every_ratio(tmp_path: Path) -> None:
    """With stand-ins for yamllint and check-jsonschema, which are benchmark-only tools."""
    tools = tmp_path / "tools" / "bin"
    tools.mkdir(parents=True)
    for tool in ("yamllint", "check-jsonschema"):
        (tools / tool).write_text("#!/bin/sh\nexit 0\n")
        (tools / tool).chmod(0o755)
    ran = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "--repeat", "1", "--sizes", "1,8,16",
                          "--work", str(tmp_path / "work"), "--tools-venv", str(tmp_path / "tools"), "--no-install"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert ran.returncode == 0, ran.stderr
    ratios = [line for line in ran.stdout.splitlines() if line.startswith("RATIO ")]
    assert [re.sub(r"= [0-9.]+x ", "= Nx ", line) for line in ratios] == [
        "RATIO one file: owui-validate / yamllint -d relaxed = Nx (target <= 1.2x)",
        "RATIO one file: owui-validate / check-jsonschema = Nx (target <= 0.5x)",
        "RATIO 8 files: owui-validate / yamllint -d relaxed = Nx (target <= 0.2x)",
        "RATIO 16 files: owui-validate / parse limit = Nx (target <= 2x)",
    ]
    assert re.search(r"^PEAK 16 files: owui-validate check [0-9.]+ MB \(target < 100 MB\)$", ran.stdout, re.MULTILINE)
    assert re.search(r"^GROWTH 8 -> 16 files: files x2\.0, bytes x[0-9.]+, ", ran.stdout, re.MULTILINE)


def test_tenants_tree_reuses_names_and_has_bundles_and_overlays(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "bench/generate_tree.py"), str(tmp_path), "--files", "400",
                    "--shape", "tenants"], check=True, capture_output=True)
    manifests = [path for path in tmp_path.rglob("*.yaml") if path.name != "compose.yaml"]
    bundles = [path for path in manifests if path.name == "bundle.yaml"]
    assert 0.04 <= len(bundles) / len(manifests) <= 0.15
    assert all(50 * 1024 <= path.stat().st_size <= 215 * 1024 for path in bundles)
    text = bundles[0].read_text()
    assert text.count("kind: Deployment\n") >= 15 and text.count("kind: Secret\n") == 14
    secrets = [path for path in manifests if "name: owui-secret\n" in path.read_text()]
    assert len(secrets) > 20  # every project calls its Secret the same
    assert any(path.name == "kustomization.yaml" and "secretGenerator" in path.read_text() for path in manifests)


def test_the_growth_series_prints_time_and_peak_per_size(tmp_path: Path) -> None:
    ran = subprocess.run([sys.executable, str(REPO / "bench/run.py"), "--repeat", "1", "--growth-only",
                          "--growth", "20,40", "--work", str(tmp_path / "work")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert ran.returncode == 0, ran.stderr
    assert len(re.findall(r"^SERIES tenants (20|40) files, [0-9.]+ MB: owui-validate [0-9]+ ms, peak [0-9.]+ MB; "
                          r"parse limit [0-9]+ ms; ratio [0-9.]+x$", ran.stdout, re.MULTILINE)) == 2
    assert re.search(r"^RATIO tenants 40 files: owui-validate / parse limit = [0-9.]+x \(target <= 2x\)$",
                     ran.stdout, re.MULTILINE)
    assert re.search(r"^PEAK tenants 40 files: owui-validate check [0-9.]+ MB \(target < 100 MB\)$",
                     ran.stdout, re.MULTILINE)
    assert re.search(r"^GROWTH tenants 20 -> 40 files: files x2\.0, owui-validate time x[0-9.]+ \(target <= 2x\)",
                     ran.stdout, re.MULTILINE)
