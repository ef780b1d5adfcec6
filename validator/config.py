"""The project configuration: `[tool.owui-validate]` in pyproject.toml, or `.owui-validate.toml`.

The file is found by walking up from the current directory (or named with `--config`), its keys
are the ones documented in schemas/config.schema.json, and anything else is an error naming the
key: a typo must not silently turn a check off. Command-line flags override the file.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, WithJsonSchema

from validator.errors import UsageError
from validator.policy import Policy

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
        raise ValueError(f"{value!r} is not a rule code or prefix such as OW103 or OW1")
    if not any(known.startswith(code) for known in catalog()):
        raise ValueError(f"{value!r} matches no rule (see `owui-validate rule --all`)")
    return code


def _code(value: str) -> str:
    from validator.rules import catalog

    code = value.strip().upper()
    if code not in catalog():
        raise ValueError(f"{value!r} is not a rule code (see `owui-validate rule --all`)")
    return code


CodePrefix = Annotated[str, AfterValidator(_prefix),
                       WithJsonSchema({"type": "string", "pattern": "^[Oo][Ww][0-9]{0,3}$"})]
Code = Annotated[str, AfterValidator(_code), WithJsonSchema({"type": "string", "pattern": "^[Oo][Ww][0-9]{3}$"})]
Glob = Annotated[str, Field(min_length=1)]


class Reporting(BaseModel):
    """Which rules run where, and how severe their findings are: everything that is not policy."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    select: tuple[CodePrefix, ...] = Field(
        ("OW",), description="Rule codes or prefixes to run (default: all). The most specific of "
        "select and ignore wins: select OW1 and ignore OW108 runs OW101-OW109 except OW108.")
    ignore: tuple[CodePrefix, ...] = Field((), description="Rule codes or prefixes not to run.")
    extend_ignore: tuple[CodePrefix, ...] = Field(
        (), alias="extend-ignore", description="More codes not to run; `--extend-ignore` adds to these.")
    severity: dict[Code, SeverityName] = Field(
        {}, description="Severity per rule code, replacing the rule's own, e.g. OW108 = \"warning\".")
    per_file_ignores: dict[Glob, tuple[CodePrefix, ...]] = Field(
        {}, alias="per-file-ignores", description="Codes not reported in files matching a glob "
        "(gitignore style, relative to the directory of the configuration file).")
    fail_on: SeverityName = Field("warning", alias="fail-on",
                                  description="Exit 1 when a finding is at least this severe.")
    exclude: tuple[Glob, ...] = Field((), description="Files and directories never checked (globs), "
                                      "even when named on the command line (as pre-commit does).")
    assume_openwebui: tuple[Glob, ...] = Field(
        (), alias="assume-openwebui", description="Treat every environment in matching files as Open WebUI's, "
        "even without an Open WebUI image or variable.")


class Config(Reporting, Policy):
    """The whole `[tool.owui-validate]` table: reporting options and the policy, in one flat namespace."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=False,
                              title="owui-validate configuration")

    @property
    def policy(self) -> Policy:
        return Policy.model_validate({name: getattr(self, name) for name in Policy.model_fields})

    @staticmethod
    def option_names() -> list[str]:
        return [field.alias or name for name, field in Config.model_fields.items()]


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
        text = pyproject.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # Most pyproject files are not ours: skip parsing them on every commit.
    return TABLE in text and _section(_parse(text, pyproject), pyproject, required=False) is not None


def read(path: Path, shown: Path | None = None) -> dict[str, Any]:
    """The raw option table of a configuration file; errors name it as `shown` (as the user wrote it)."""
    shown = shown or path
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read: {getattr(exc, 'strerror', None) or exc.__class__.__name__}") from None
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
    try:
        return Config.model_validate(dict(values))
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source, flags or {})) from None


def _describe(exc: ValidationError, source: str, flags: Mapping[str, str]) -> str:
    error = exc.errors(include_input=False, include_url=False)[0]
    loc = error["loc"]
    option = str(loc[0]) if loc else ""
    detail = "".join(f"[{part!r}]" if isinstance(part, str) else f"[{part}]" for part in loc[1:] if part != "[key]")
    message = str(error["msg"]).removeprefix("Value error, ").replace("a valid tuple", "a list")
    if error["type"] == "extra_forbidden":
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
