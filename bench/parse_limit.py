"""The parse limit: the least any checker of these files must do, as a program to time.

    python bench/parse_limit.py PATH ...     (files, or directories to walk)

It reads every file once, composes every YAML file into nodes with libyaml (`yaml.compose_all`,
the CSafeLoader; the pure-Python loader with --pure), and matches one regex against every line
of every env file; then it prints how many files, documents and variables it saw. No checker that
reads the files as YAML can be faster, so `owui-validate check` is measured against it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

import yaml

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=(.*)$")
_YAML = re.compile(r"^[^/]*\.ya?ml$")
_ENV = re.compile(r"^(?:\.env(?:\.[^/]*)?|[^/]*\.env)$")
_SKIP = {".git", "node_modules", "__pycache__", ".venv", "venv"}


def files(paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        if not os.path.isdir(path):
            found.append(path)
            continue
        for directory, subdirs, names in os.walk(path):
            subdirs[:] = sorted(name for name in subdirs if name not in _SKIP)
            found += [os.path.join(directory, name) for name in sorted(names) if _YAML.match(name) or _ENV.match(name)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--pure", action="store_true", help="the pure-Python YAML loader instead of libyaml")
    args = parser.parse_args(argv)
    loader = yaml.SafeLoader if args.pure or not yaml.__with_libyaml__ else yaml.CSafeLoader
    documents = variables = 0
    paths = files(args.paths)
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if _YAML.match(os.path.basename(path)):
            documents += sum(1 for _ in yaml.compose_all(text, Loader=loader))
        else:
            variables += sum(1 for line in text.splitlines() if _ENV_LINE.match(line))
    print(f"{len(paths)} files, {documents} YAML documents, {variables} env variables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
