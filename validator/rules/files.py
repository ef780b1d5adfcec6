"""Findings about files themselves, raised by the sources while reading (OW001, OW002)."""

from __future__ import annotations

from validator.findings import Severity
from validator.rules.base import Rule


class Unreadable(Rule):
    """The file cannot be read or parsed.

    ## What it does
    Reports files that are not readable text in their format: YAML or env syntax errors (at the
    position of the error), invalid UTF-8, binary files, files over the size limit, unreadable
    files, and `env_file` entries that point at a missing file.

    ## Why is this bad?
    docker compose, kubectl and Open WebUI refuse the same file, and nothing in it can be checked.

    ## Example
    ```env
    WEBUI_SECRET_KEY="unterminated
    ```

    ## Use instead
    ```env
    WEBUI_SECRET_KEY="terminated"
    ```
    """

    code = "OW001"
    name = "file-unreadable"
    severity = Severity.ERROR


class DuplicateVariable(Rule):
    """A variable is defined twice in one scope.

    ## What it does
    Reports a variable set twice in one env file, one compose service's `environment`, or one
    container's `env`, and says which definition wins.

    ## Why is this bad?
    Only one definition takes effect (the last, in env files and lists), so the other is a trap
    for whoever edits it next. docker compose refuses duplicate keys in an `environment` mapping.

    ## Example
    ```env
    JWT_EXPIRES_IN=4w
    JWT_EXPIRES_IN=1h
    ```

    ## Use instead
    ```env
    JWT_EXPIRES_IN=1h
    ```
    """

    code = "OW002"
    name = "variable-duplicated"
    severity = Severity.WARNING
