"""Suppression comments that suppress nothing (OW900); the comments themselves: validator.verdict.suppressions."""

from __future__ import annotations

from validator.findings import Severity
from validator.rules.base import Rule


class UnusedSuppression(Rule):
    """A suppression comment suppresses nothing, or cannot be understood.

    ## What it does
    Reports `# owui-validate: ignore[CODE]` comments where no CODE finding is on the same line
    (or, for a comment on a line of its own, on the next line), `# owui-validate: ignore-file`
    in a file with no findings, unknown codes, and `owui-validate:` comments in another form.
    Like ruff's RUF100 for `noqa`.

    ## Why is this bad?
    A suppression outlives the problem it was written for: once the value is fixed, the comment
    stays and silently hides the next problem on that line. A misspelt code suppresses nothing
    while looking as if it did.

    ## Example
    ```env
    JWT_EXPIRES_IN=4w  # owui-validate: ignore[OW103]
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=4w
    ```
    """

    code = "OW900"
    name = "suppression-unused"
    severity = Severity.INFO
