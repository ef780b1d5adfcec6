"""Paths as a project names them: relative to its root, with `/`, and matched by gitignore-style globs.

Reports for CI (SARIF, GitHub annotations), baselines and the configuration's globs all need the
same answer to "which file is this", whatever directory the linter was started from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable


def relative(path: str, root: str) -> str:
    """`path` relative to `root` with `/` separators; absolute (still `/`) when outside the root."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, root) if _within(absolute, root) else absolute
    return rel.replace(os.sep, "/")


def _within(absolute: str, root: str) -> bool:
    try:
        return os.path.commonpath([absolute, os.path.abspath(root)]) == os.path.abspath(root)
    except ValueError:  # another drive on Windows
        return False


def glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore semantics: `*` and `?` stay within a directory, `**` crosses them; a pattern
    without `/` matches a name at any depth; a match on a directory covers everything in it."""
    stripped = pattern.strip()
    stripped = stripped[2:] if stripped.startswith("./") else stripped
    anchored = "/" in stripped.rstrip("/")
    body = _translate(stripped.strip("/"))
    return re.compile(("" if anchored else "(?:.*/)?") + body + "(?:/.*)?", re.DOTALL)


def _translate(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        char = glob[i]
        close = glob.find("]", i + 2) if char == "[" else -1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif close > 0:
            inner = glob[i + 1 : close]
            negate = inner[:1] == "!"
            inner = (inner[1:] if negate else inner).replace("\\", "\\\\")
            if inner.startswith("^"):
                inner = "\\" + inner
            out.append("[" + ("^/" if negate else "") + inner + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def matcher(patterns: Iterable[str], root: str) -> Callable[[str], bool] | None:
    """A test `path -> bool` for paths as the run names them; None when there are no patterns."""
    compiled = [glob_regex(pattern) for pattern in patterns]
    if not compiled:
        return None

    def matches(path: str) -> bool:
        rel = relative(path, root)
        return any(regex.fullmatch(rel) for regex in compiled)

    return matches
