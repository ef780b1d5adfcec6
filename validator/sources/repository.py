"""The repository's tracked deployment files, read as context when the pre-commit hook names a few.

pre-commit splits long file lists into several runs; cross-file facts (two tenants sharing a key,
OW208; a Secret in another manifest) would then depend on where the list was cut. Reading every
tracked candidate file as context gives each file the verdict one `check .` gives it.
"""

from __future__ import annotations

import os

from validator.sources import discover, gitignore

GIT_TIMEOUT_SECONDS = 30


def tracked(directory: str) -> list[str]:
    """Deployment files git tracks in the work tree holding `directory`, as paths relative to it
    when inside it (as pre-commit names them), else absolute; none outside a work tree."""
    import subprocess

    tree = gitignore.work_tree(os.path.abspath(directory))
    if tree is None:
        return []
    try:
        done = subprocess.run(["git", "-C", tree, "ls-files", "-z", "--cached"], capture_output=True,
                              timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    here = os.path.abspath(directory)
    found = []
    for name in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name and discover.kind_of(name) is not None:
            absolute = os.path.join(tree, name)
            if os.path.isfile(absolute):
                inside = os.path.commonpath([absolute, here]) == here
                found.append(discover.normalise(os.path.relpath(absolute, here) if inside else absolute))
    return found
