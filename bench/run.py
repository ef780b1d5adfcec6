"""Benchmark `owui-validate check` against the tools users would pick instead, on the same files.

    python bench/run.py [--repeat 7] [--sizes 1,200,2000] [--tools-venv bench/.tools] [--growth 250,2000,16000]

For each size it generates a deterministic tree (bench/generate_tree.py; the one-file case is a
compose file of the smallest tree, with its `.env` beside it, as pre-commit stages it), then runs,
A/B in turn (every program once per round, the order rotating each round, after one untimed
warm-up run each):

- `owui-validate check FILES` (this interpreter's console script, as pre-commit runs it);
- `yamllint -d relaxed YAML-FILES`;
- `check-jsonschema --schemafile bench/deployment.schema.json YAML-FILES`: the exported schema of
  the Open WebUI auth variables applied to compose `environment`, Kubernetes container `env` and
  Helm `extraEnvVars` (it cannot read multi-document files: it fails on each, as it does for users);
- `python bench/parse_limit.py FILES`: read every file, libyaml `compose_all`, one regex per env line.

yamllint and check-jsonschema are not dependencies of this project: they live in their own
virtualenv (`--tools-venv`, created and filled with `pip install yamllint check-jsonschema` when it
lacks them; `--no-tools` skips them). It prints the median, min and max wall time and the peak
resident memory (the largest process, from wait4; the trees are generated in a child so that
this runner's own memory, which Linux counts in each child until it execs, stays below any
program's) of each program, then one `RATIO` line per target,
a `PEAK` line and a `GROWTH` line. `--growth` adds a series on the GitOps shape of tree
(`generate_tree.py --shape tenants`: many projects reusing object names, kustomize overlays,
rendered multi-tenant bundles): owui-validate and the parse limit on each size, one `SERIES` line
per size (medians and peaks), then `RATIO`, `PEAK` and `GROWTH` lines for it (`--growth-only`
skips the comparison above). The machine is shared and noisy: read medians and ratios, never
one run's time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = ("yamllint", "check-jsonschema")


@dataclass
class Program:
    name: str
    command: list[str]
    yaml_only: bool = False
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0

    def run(self, files: list[str], cwd: str) -> None:
        started = time.perf_counter()
        process = subprocess.Popen([*self.command, *files], cwd=cwd, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{self.name} exited with {process.returncode}: {' '.join(self.command)}")
        self.times.append(elapsed)
        self.peak_kb = max(self.peak_kb, usage.ru_maxrss)  # Linux: KB; the largest of it and its children

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def tools_venv(path: str, install: bool) -> str | None:
    """The bin directory holding yamllint and check-jsonschema, installing them if asked."""
    bindir = os.path.join(path, "bin")
    if all(os.access(os.path.join(bindir, tool), os.X_OK) for tool in TOOLS):
        return bindir
    if not install:
        return None
    print(f"installing {' and '.join(TOOLS)} into {path} (benchmark only, not a project dependency)", flush=True)
    subprocess.run([sys.executable, "-m", "venv", path], check=True)
    subprocess.run([os.path.join(bindir, "pip"), "install", "--quiet", *TOOLS], check=True)
    return bindir


def programs(bindir: str | None) -> list[Program]:
    here_bin = os.path.dirname(sys.executable)
    owui = os.path.join(here_bin, "owui-validate")
    found = [
        Program("owui-validate check", [owui, "check", "--quiet"] if os.access(owui, os.X_OK)
                else [sys.executable, "-m", "validator", "check", "--quiet"]),
        Program("parse limit", [sys.executable, os.path.join(HERE, "parse_limit.py")]),
    ]
    if bindir is not None:
        found += [
            Program("yamllint -d relaxed", [os.path.join(bindir, "yamllint"), "-d", "relaxed"], yaml_only=True),
            Program("check-jsonschema", [os.path.join(bindir, "check-jsonschema"), "--schemafile",
                                         os.path.join(HERE, "deployment.schema.json")], yaml_only=True),
        ]
    return found


def tree_files(root: str) -> list[str]:
    found = []
    for directory, subdirs, names in os.walk(root):
        subdirs.sort()
        found += [os.path.relpath(os.path.join(directory, name), root) for name in sorted(names)]
    return found


def is_yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


def generate(root: str, count: int, shape: str = "apps") -> None:
    """In a child: Linux counts this process's peak memory in every child it starts (until exec),
    so the runner stays small for the PEAK column to be the program's."""
    if not os.path.isdir(root):
        subprocess.run([sys.executable, os.path.join(HERE, "generate_tree.py"), root, "--files", str(count),
                        "--shape", shape], check=True, stdout=subprocess.DEVNULL)


def growth(work: str, counts: list[int], progs: list[Program], repeat: int) -> list[str]:
    """The tenants series: time and peak of owui-validate and the parse limit per size."""
    owui, limit = progs[0], progs[1]
    lines, rows = [], {}
    for count in counts:
        root = os.path.join(work, f"tenants-{count}")
        generate(root, count, "tenants")
        size = measure(f"tenants tree, {count} files", root, tree_files(root), [owui, limit], repeat)
        rows[count] = (owui.median, owui.peak_kb, limit.median)
        lines.append(f"SERIES tenants {count} files, {size / 1024 / 1024:.1f} MB: owui-validate "
                     f"{owui.median * 1000:.0f} ms, peak {owui.peak_kb / 1024:.1f} MB; parse limit "
                     f"{limit.median * 1000:.0f} ms; ratio {owui.median / limit.median:.2f}x")
    for count in counts:  # the targets are the 2000-file tree's; memory grows with what a tree defines
        ratio_target, peak_target = (" (target <= 2x)", " (target < 100 MB)") if count <= 2000 else ("", "")
        lines.append(f"RATIO tenants {count} files: owui-validate / parse limit = "
                     f"{rows[count][0] / rows[count][2]:.2f}x{ratio_target}")
        lines.append(f"PEAK tenants {count} files: owui-validate check {rows[count][1] / 1024:.1f} MB{peak_target}")
    for small, large in zip(counts, counts[1:]):
        lines.append(f"GROWTH tenants {small} -> {large} files: files x{large / small:.1f}, owui-validate time "
                     f"x{rows[large][0] / rows[small][0]:.1f} (target <= {1.25 * large / small:.0f}x), "
                     f"parse limit time x{rows[large][2] / rows[small][2]:.1f}")
    return lines


def measure(label: str, root: str, files: list[str], progs: list[Program], repeat: int) -> int:
    """Time every program on the same files; returns their total size in bytes."""
    size = sum(os.path.getsize(os.path.join(root, path)) for path in files)
    print(f"\n== {label}: {len(files)} file(s), {size / 1024:.0f} KB; {repeat} runs each, A/B in turn ==", flush=True)
    inputs = {program.name: [f for f in files if is_yaml(f)] if program.yaml_only else files for program in progs}
    for program in progs:  # warm-up: page cache, .pyc files
        program.run(inputs[program.name], root)
    for program in progs:
        program.times.clear()
        program.peak_kb = 0
    for round_ in range(repeat):
        order = progs[round_ % len(progs):] + progs[:round_ % len(progs)]
        for program in order:
            program.run(inputs[program.name], root)
    print(f"{'program':<22}{'median':>10}{'min':>10}{'max':>10}{'peak RSS':>11}")
    for program in progs:
        print(f"{program.name:<22}{program.median * 1000:>8.0f}ms{min(program.times) * 1000:>8.0f}ms"
              f"{max(program.times) * 1000:>8.0f}ms{program.peak_kb / 1024:>8.1f} MB")
    return size


def ratio(label: str, progs: dict[str, Program], other: str, target: str) -> str:
    if other not in progs:
        return f"RATIO {label}: owui-validate / {other} = n/a ({other} not run; see --tools-venv) (target {target})"
    value = progs["owui-validate check"].median / progs[other].median
    return f"RATIO {label}: owui-validate / {other} = {value:.2f}x (target {target})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each program per size (default: 7)")
    parser.add_argument("--sizes", default="1,200,2000",
                        help="one file, the yamllint comparison, the parse-limit comparison (default: 1,200,2000)")
    parser.add_argument("--work", help="where to write the trees (default: a temporary directory)")
    parser.add_argument("--tools-venv", default=os.path.join(HERE, ".tools"),
                        help="virtualenv with yamllint and check-jsonschema (default: bench/.tools)")
    parser.add_argument("--no-tools", action="store_true", help="run only owui-validate and the parse limit")
    parser.add_argument("--no-install", action="store_true", help="do not create the tools virtualenv")
    parser.add_argument("--growth", default="",
                        help="sizes of the tenants series, e.g. 250,2000,16000 (default: none)")
    parser.add_argument("--growth-only", action="store_true", help="run only the tenants series")
    args = parser.parse_args(argv)
    one, middle, large = (int(size) for size in args.sizes.split(","))
    if one != 1:
        parser.error("--sizes: the first size is the one staged file: 1")

    counts = [int(size) for size in args.growth.split(",") if size]
    if args.growth_only and not counts:
        parser.error("--growth-only needs --growth")
    bindir = None if args.no_tools or args.growth_only else tools_venv(args.tools_venv, install=not args.no_install)
    if bindir is None and not args.no_tools and not args.growth_only:
        print(f"yamllint and check-jsonschema not found in {args.tools_venv}: their ratios are n/a", flush=True)
    progs = programs(bindir)
    work = args.work or tempfile.mkdtemp(prefix="owui-bench-")
    try:
        lines = [] if args.growth_only else compare(work, one, middle, large, progs, args.repeat)
        if counts:
            lines += growth(work, counts, progs, args.repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS: the largest resident set of each run (Linux counts at least this runner's {floor:.1f} MB)")
    print("\n".join(lines))
    return 0


def compare(work: str, one: int, middle: int, large: int, progs: list[Program], repeat: int) -> list[str]:
    """The apps trees: owui-validate against every other program, with the README's targets."""
    by_name = {program.name: program for program in progs}
    results: dict[int, dict[str, tuple[float, int]]] = {}
    sizes: dict[int, int] = {}
    lines = []
    trees = {}
    for count in (middle, large):
        trees[count] = os.path.join(work, f"tree-{count}")
        generate(trees[count], count)
    staged = "app-0000/compose.yaml"
    measure(f"one staged file ({staged})", trees[middle], [staged], progs, repeat)
    lines.append(ratio("one file", by_name, "yamllint -d relaxed", "<= 1.2x"))
    lines.append(ratio("one file", by_name, "check-jsonschema", "<= 0.5x"))
    for count in (middle, large):
        sizes[count] = measure(f"{count} files", trees[count], tree_files(trees[count]), progs, repeat)
        results[count] = {p.name: (p.median, p.peak_kb) for p in progs}
        if count == middle:
            lines.append(ratio(f"{count} files", by_name, "yamllint -d relaxed", "<= 0.2x"))
        else:
            lines.append(ratio(f"{count} files", by_name, "parse limit", "<= 2x"))
    owui_large, peak_large = results[large]["owui-validate check"]
    lines.append(f"PEAK {large} files: owui-validate check {peak_large / 1024:.1f} MB (target < 100 MB)")
    owui_middle = results[middle]["owui-validate check"][0]
    limit_growth = results[large]["parse limit"][0] / results[middle]["parse limit"][0]
    lines.append(f"GROWTH {middle} -> {large} files: files x{large / middle:.1f}, bytes x{sizes[large] / sizes[middle]:.1f}, "
                 f"owui-validate time "
                 f"x{owui_large / owui_middle:.1f}, parse limit time x{limit_growth:.1f}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
