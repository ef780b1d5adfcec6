"""Which files a run treats as absent: the ones git ignores, unless named on the command line.

A developer's local `.env` beside a compose file (gitignored, holding a test key) must not decide
a verdict that CI, which has no such file, cannot see. Git is asked once for the `.env` beside
every compose file named, and once per other file read on another's behalf.
"""

from __future__ import annotations

import os

from validator.sources import discover, gitignore


class Hidden:
    """`hidden(path)`: git ignores `path` and it was not asked about."""

    def __init__(self, requested: list[str]) -> None:
        self._named = set(requested)
        beside = [os.path.normpath(os.path.join(os.path.dirname(path), ".env"))
                  for path in requested if discover.is_compose_name(path)]
        candidates = [path for path in dict.fromkeys(beside) if path not in self._named and os.path.lexists(path)]
        found = gitignore.ignored(candidates) if candidates else set()
        self._known = {path: path in found for path in candidates}

    def __call__(self, path: str) -> bool:
        if path in self._named:
            return False
        if path not in self._known:
            self._known[path] = bool(gitignore.ignored([path]))
        return self._known[path]
