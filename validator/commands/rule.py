"""`owui-validate rule CODE` / `--all`: the rule documentation, straight from the rule's docstring."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from validator.redaction import quote

if TYPE_CHECKING:
    from validator.rules.base import Rule


def run(args: argparse.Namespace) -> int:
    from validator.rules import catalog

    rules = catalog()
    single = bool(args.code) and not args.all
    if single and args.code.upper() not in rules:
        print(f"owui-validate: error: unknown rule {quote(args.code)} (see `owui-validate rule --all`)", file=sys.stderr)
        return 2
    chosen = [rules[args.code.upper()]] if single else list(rules.values())
    if args.format == "json":
        print(_json(chosen, single))
    elif single:
        rule = chosen[0]
        print(f"# {rule.code} {rule.name} ({rule.severity})\n")
        print(rule.doc())
    else:
        for rule in chosen:
            print(f"{rule.code}  {rule.severity!s:<7}  {rule.name:<34} {rule.summary()}")
    return 0


def _json(rules: list[type[Rule]], single: bool) -> str:
    """One rule: an object; `--all`: an array of them (schemas/rule.schema.json)."""
    from pydantic import TypeAdapter

    from validator.report.json_report import RuleDoc, rule_doc

    docs = [rule_doc(rule) for rule in rules]
    if single:
        return docs[0].model_dump_json(indent=2)
    return TypeAdapter(list[RuleDoc]).dump_json(docs, indent=2).decode()
