"""The settings of one `check` run: the configuration file, overridden by command-line flags.

Everything the file can say is decided here (which files, which rules, what policy, which root),
so the engine and the reporters never see where a setting came from.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator import paths
from validator.settings import config
from validator.settings.config import Config
from validator.findings import Finding, Severity

if TYPE_CHECKING:
    from validator.engine import Options
    from validator.verdict.selection import Selection

# CLI attribute -> configuration key; the flag is `--` + key. Lists are comma-separated on the CLI.
FLAGS = {
    "select": "select", "ignore": "ignore", "fail_on": "fail-on",
    "max_jwt_expiry": "max-jwt-expiry", "min_jwt_expiry": "min-jwt-expiry", "target_version": "target-version",
}
LISTS = frozenset({"select", "ignore", "extend-ignore"})


@dataclass(frozen=True)
class Project:
    """The configuration in effect and the root its globs and report paths are relative to."""

    config: Config
    root: Path
    # The configuration file read, if any (`--output` must not overwrite it).
    source: Path | None = None

    def path(self, path: str) -> str:
        return paths.relative(path, str(self.root))

    def finding_path(self, finding: Finding) -> str:
        return self.path(finding.location.path)

    def files(self, requested: list[str]) -> list[str]:
        """The files to check: directories walked, `exclude` applied (to named files too)."""
        from validator.sources import discover

        found = discover.expand(requested)
        excluded = paths.matcher(self.config.exclude, str(self.root))
        return found if excluded is None else [path for path in found if not excluded(path)]

    def options(self, assume_everywhere: bool = False, max_bytes: int | None = None,
                database_urls: tuple[str, ...] = ()) -> Options:
        from validator import engine

        return engine.Options(policy=self.config.policy, assume_openwebui=assume_everywhere,
                              max_bytes=max_bytes or engine.DEFAULT_MAX_BYTES, database_urls=database_urls,
                              assume_openwebui_in=paths.matcher(self.config.assume_openwebui, str(self.root)))

    def selection(self) -> Selection:
        from validator.verdict.selection import Selection

        cfg = self.config
        # An excluded file read on behalf of another (an env_file) still reports nothing.
        ignores = [*cfg.per_file_ignores.items(), *((pattern, ("OW",)) for pattern in cfg.exclude)]
        per_file = tuple((matches, codes) for pattern, codes in ignores
                         if (matches := paths.matcher([pattern], str(self.root))) is not None)
        return Selection(select=cfg.select, ignore=cfg.ignore + cfg.extend_ignore, per_file=per_file,
                         severity=self.severities)

    @property
    def severities(self) -> dict[str, Severity]:
        return {code: Severity[name.upper()] for code, name in self.config.severity.items()}

    @property
    def fail_on(self) -> Severity:
        return Severity[self.config.fail_on.upper()]


def load(args: argparse.Namespace, cwd: Path) -> Project:
    """The project for these arguments; ConfigError (a one-line message) for any bad setting."""
    path = Path(args.config) if args.config else config.find(cwd)
    values: dict[str, Any] = {}
    source = ""
    if path is not None:
        shown = _shown(path, cwd)
        source = config.where(shown)
        values = config.read(path, shown)
        config.validate(values, source)
    flags = _flags(args, values)
    if path is None and not flags:
        # The defaults are valid by definition: skip building the validator on every commit.
        return Project(Config(), config.project_root(None, cwd))
    merged = config.validate({**values, **flags}, source, {key: f"--{key}" for key in flags})
    return Project(merged, config.project_root(path, cwd), path)


def _flags(args: argparse.Namespace, values: dict[str, Any]) -> dict[str, Any]:
    flags: dict[str, Any] = {}
    for attribute, key in FLAGS.items():
        value = getattr(args, attribute, None)
        if value is not None:
            flags[key] = _split(value) if key in LISTS else value
    extend = args.extend_ignore
    if extend is not None:
        before = values.get("extend-ignore", [])
        flags["extend-ignore"] = [*(before if isinstance(before, list) else []), *_split(extend)]
    return flags


def _split(values: list[str]) -> list[str]:
    """`--select OW1,OW2 --select OW9`: repeated and comma-separated."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _shown(path: Path, cwd: Path) -> Path:
    try:
        return Path(os.path.relpath(path, cwd)) if path.is_absolute() else path
    except ValueError:
        return path
