"""The project configuration: `[tool.owui-validate]` in pyproject.toml, or `.owui-validate.toml`.

The file is found by walking up from the current directory (or named with `--config`), its keys
are the ones documented in schemas/config.schema.json, and anything else is an error naming the
key: a typo must not silently turn a check off. Command-line flags override the file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from validator import fileio
from validator.contract import Check, Constrain, Describe, JsonSchema, adapter, kebab
from validator.errors import UsageError
from validator.redaction import quote
from validator.settings.policy import Policy

if TYPE_CHECKING:
    from pydantic import ValidationError

# A configuration file is a few hundred bytes; this is plenty, and bounds what a mistake can cost.
MAX_BYTES = 1024 * 1024
DEDICATED = ".owui-validate.toml"
PYPROJECT = "pyproject.toml"
TABLE = "owui-validate"

SeverityName = Literal["error", "warning", "info"]


class ConfigError(UsageError):
    """Which file or flag, which key, what is wrong."""


def _prefix(value: str) -> str:
    """A rule code or a prefix of codes (`OW1` selects OW101-OW109, `OW` all of them)."""
    from validator.rules import catalog

    code = value.strip().upper()
    if not code.startswith("OW") or (code != "OW" and not code[2:].isdigit()):
        raise ValueError(f"{quote(value)} is not a rule code or prefix such as OW103 or OW1")
    if not any(known.startswith(code) for known in catalog()):
        raise ValueError(f"{quote(value)} matches no rule (see `owui-validate rule --all`)")
    return code


def _code(value: str) -> str:
    from validator.rules import catalog

    code = value.strip().upper()
    if code not in catalog():
        raise ValueError(f"{quote(value)} is not a rule code (see `owui-validate rule --all`)")
    return code


def _prefix_schema() -> dict[str, object]:
    return {"type": "string", "pattern": "^[Oo][Ww][0-9]{0,3}$"}


def _code_schema() -> dict[str, object]:
    return {"type": "string", "pattern": "^[Oo][Ww][0-9]{3}$"}


CodePrefix = Annotated[str, Check(_prefix), JsonSchema(_prefix_schema)]
Code = Annotated[str, Check(_code), JsonSchema(_code_schema)]
Glob = Annotated[str, Constrain(min_length=1)]


@dataclass(frozen=True)
class Reporting:
    """Which rules run where, and how severe their findings are: everything that is not policy."""

    __pydantic_config__ = {"extra": "forbid", "alias_generator": kebab}

    select: Annotated[tuple[CodePrefix, ...], Describe(
        "Rule codes or prefixes to run (default: all). The most specific of "
        "select and ignore wins: select OW1 and ignore OW108 runs OW101-OW109 except OW108.")] = ("OW",)
    ignore: Annotated[tuple[CodePrefix, ...], Describe("Rule codes or prefixes not to run.")] = ()
    extend_ignore: Annotated[tuple[CodePrefix, ...], Describe(
        "More codes not to run; `--extend-ignore` adds to these.")] = ()
    severity: Annotated[dict[Code, SeverityName], Describe(
        "Severity per rule code, replacing the rule's own, e.g. OW108 = \"warning\".")] = field(default_factory=dict)
    per_file_ignores: Annotated[dict[Glob, tuple[CodePrefix, ...]], Describe(
        "Codes not reported in files matching a glob "
        "(gitignore style, relative to the directory of the configuration file).")] = field(default_factory=dict)
    fail_on: Annotated[SeverityName, Describe("Exit 1 when a finding is at least this severe.")] = "warning"
    exclude: Annotated[tuple[Glob, ...], Describe("Files and directories never checked (globs), "
                                                  "even when named on the command line (as pre-commit does).")] = ()
    assume_openwebui: Annotated[tuple[Glob, ...], Describe(
        "Treat every environment in matching files as Open WebUI's, "
        "even without an Open WebUI image or variable.")] = ()


@dataclass(frozen=True)
class Config(Reporting, Policy):
    """The whole `[tool.owui-validate]` table: reporting options and the policy, in one flat namespace."""

    __pydantic_config__ = {"extra": "forbid", "alias_generator": kebab, "title": "owui-validate configuration"}

    @property
    def policy(self) -> Policy:
        return Policy(**{item.name: getattr(self, item.name) for item in fields(Policy)})

    @staticmethod
    def option_names() -> list[str]:
        return [kebab(item.name) for item in fields(Config)]


def find(start: Path) -> Path | None:
    """The nearest `.owui-validate.toml`, or pyproject.toml with our table, from `start` upwards."""
    for directory in (start, *start.parents):
        dedicated = directory / DEDICATED
        if dedicated.is_file():
            return dedicated
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        text = fileio.read_text(str(pyproject), MAX_BYTES)
    except fileio.Unreadable:
        return False
    # Most pyproject files are not ours: skip parsing them on every commit.
    return TABLE in text and _section(_parse(text, pyproject), pyproject, required=False) is not None


def read(path: Path, shown: Path | None = None) -> dict[str, Any]:
    """The raw option table of a configuration file; errors name it as `shown` (as the user wrote it)."""
    shown = shown or path
    try:  # a configuration file is small: a FIFO, a device or anything over MAX_BYTES is refused unopened
        text = fileio.read_text(str(path), MAX_BYTES)
    except fileio.Unreadable as exc:
        reason = "configuration file not found" if exc.missing else str(exc) if exc.refused else f"cannot read: {exc}"
        raise ConfigError(f"{shown}: {reason}") from None
    return _section(_parse(text, shown), shown, required=True) or {}


def _parse(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply to read") from None


def _section(data: dict[str, Any], path: Path, *, required: bool) -> dict[str, Any] | None:
    if path.name != PYPROJECT:
        return data
    section = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if section is None and required:
        raise ConfigError(f"{path}: no [tool.{TABLE}] table")
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: tool.{TABLE} must be a table")
    return section


def where(path: Path) -> str:
    return f"{path}: [tool.{TABLE}]" if path.name == PYPROJECT else str(path)


def validate(values: Mapping[str, Any], source: str, flags: Mapping[str, str] | None = None) -> Config:
    """The Config, or ConfigError naming the key (in `source`) or the flag that set it."""
    from pydantic import ValidationError

    try:
        return adapter(Config).validate_python(dict(values))  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source, flags or {})) from None


def _describe(exc: ValidationError, source: str, flags: Mapping[str, str]) -> str:
    error = exc.errors(include_input=False, include_url=False)[0]
    loc = error["loc"]
    option = str(loc[0]) if loc else ""
    detail = "".join(f"[{part!r}]" if isinstance(part, str) else f"[{part}]" for part in loc[1:] if part != "[key]")
    message = str(error["msg"]).removeprefix("Value error, ").replace("a valid tuple", "a list")
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        import difflib

        close = difflib.get_close_matches(option, Config.option_names(), n=1)
        message = "unknown option" + (f" (did you mean {close[0]!r}?)" if close else "")
    more = len(exc.errors()) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    if option in flags:
        return f"{flags[option]}: {message}{suffix}"
    return f"{source}: {option}{detail}: {message}{suffix}"


def project_root(config_path: Path | None, cwd: Path) -> Path:
    """What paths in reports and globs are relative to: the configuration file's directory,
    else the enclosing git work tree, else the current directory."""
    if config_path is not None:
        return config_path.resolve().parent
    for directory in (cwd, *cwd.parents):
        if os.path.exists(directory / ".git"):
            return directory
    return cwd
