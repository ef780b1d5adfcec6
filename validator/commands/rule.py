"""`owui-validate rule CODE` / `--all`: the rule documentation, straight from the rule's docstring."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from validator.rules import catalog

    rules = catalog()
    if args.all or not args.code:
        for code, rule in rules.items():
            print(f"{code}  {rule.severity!s:<7}  {rule.name:<34} {rule.summary()}")
        return 0
    rule = rules.get(args.code.upper())
    if rule is None:
        print(f"owui-validate: error: unknown rule {args.code!r} (see `owui-validate rule --all`)", file=sys.stderr)
        return 2
    print(f"# {rule.code} {rule.name} ({rule.severity})\n")
    print(rule.doc())
    return 0
