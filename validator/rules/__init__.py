"""The rule catalog. Each rule's docstring is its documentation (`owui-validate rule CODE`)."""

from __future__ import annotations

from validator.rules.base import Rule


def catalog() -> dict[str, type[Rule]]:
    """Every rule by code, in code order; imported on demand so `check` pays only for what it runs."""
    from validator.rules import expiry, fernet, files, resolution, secret_key, sharing, stored, suppression

    rules: list[type[Rule]] = []
    for module in (files, expiry, secret_key, fernet, sharing, resolution, stored, suppression):
        rules.extend(value for value in vars(module).values()
                     if isinstance(value, type) and issubclass(value, Rule) and value is not Rule
                     and value.__module__ == module.__name__)
    return {rule.code: rule for rule in sorted(rules, key=lambda rule: rule.code)}
