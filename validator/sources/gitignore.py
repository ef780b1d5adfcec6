"""Which paths git ignores, asked of git itself.

A directory walk skips what git ignores (a developer's local `.env` must not decide a verdict that
CI, which has no such file, cannot see), and an absent env file that git ignores was left out of
the checkout on purpose: it most likely holds the secrets. Git is asked once per work tree for a
whole batch; outside a work tree, or without git, nothing is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

GIT_TIMEOUT_SECONDS = 10


@lru_cache(maxsize=1024)
def work_tree(directory: str) -> str | None:
    """The work tree holding `directory` (absolute), found by looking for `.git` upwards."""
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def ignored(paths: Iterable[str]) -> set[str]:
    """The members of `paths` (as given; they need not exist) that git ignores and does not track."""
    by_tree: dict[str, list[str]] = {}
    for path in paths:
        tree = work_tree(os.path.dirname(os.path.abspath(path)))
        if tree is not None:
            by_tree.setdefault(tree, []).append(path)
    found: set[str] = set()
    for tree, members in by_tree.items():
        found.update(_check_ignore(tree, members))
    return found


def _check_ignore(tree: str, paths: list[str]) -> list[str]:
    import subprocess  # only runs that ask about ignored files pay for it

    absolute = {os.path.abspath(path): path for path in paths}
    try:
        done = subprocess.run(
            ["git", "-C", tree, "check-ignore", "--stdin", "-z"],
            input="\0".join(absolute).encode("utf-8", "surrogateescape") + b"\0",
            capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode not in (0, 1):  # 128: not a work tree after all, or git refused
        return []
    answers = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [absolute[os.path.abspath(os.path.join(tree, answer))] for answer in answers
            if answer and os.path.abspath(os.path.join(tree, answer)) in absolute]
