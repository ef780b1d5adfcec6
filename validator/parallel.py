"""Reading many files on both cores: the process forks once, and each half reads its own files.

Below MIN_FILES the fork and the pickling of one half's results cost about what the second core
saves (bench trees, medians of 9-11 runs: 20 files 101 vs 98 ms one process, 50 files 115 vs
120 ms, 100 files 157 vs 166 ms, 200 files 217 vs 257 ms, 500 files 446 vs 577 ms). Files are split by directory, so what one file reads on
another's behalf (Chart.yaml, the base values.yaml) is read in the same half, and every env file
is read before the fork, so a shared env file (`env_file: ../shared/common.env`) is read once
for both halves. Only where `fork` exists: a spawned child would import everything again. If the
child fails in any way, this process reads its half too: the result never depends on the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from validator.sources import discover
from validator.sources.files import Workspace
from validator.sources.model import ParsedFile

MIN_FILES = 100
CHILD_SHARE = 0.42

Load = Callable[[Workspace, str, list], ParsedFile]  # type: ignore[type-arg]


def worthwhile(count: int) -> bool:
    return count >= MIN_FILES and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def load_all(ws: Workspace, paths: list[str], errors: list, load: Load) -> dict[str, ParsedFile]:  # type: ignore[type-arg]
    """`load` for every path, as `{path: load(ws, path, errors) for path in paths}` would give."""
    results = {path: load(ws, path, errors) for path in paths if discover.kind_of(path) == "dotenv"}
    rest = [path for path in paths if path not in results]
    mine, theirs = _halves(rest)
    child = _fork(ws, theirs, load)
    results.update((path, load(ws, path, errors)) for path in mine)
    received = _receive(*child) if child is not None else None
    if received is None:
        results.update((path, load(ws, path, errors)) for path in theirs)
    else:
        loaded, texts, read, their_errors = received
        results.update(loaded)
        ws.adopt(texts, read)
        errors.extend(their_errors)
    return {path: results[path] for path in paths}


def _halves(paths: list[str]) -> tuple[list[str], list[str]]:
    """Two lists of whole directories: this process's, and the child's CHILD_SHARE of the bytes
    (the child also pickles its results, and this process unpickles them)."""
    by_directory: dict[str, list[str]] = {}
    for path in paths:
        by_directory.setdefault(os.path.dirname(path), []).append(path)
    sizes = {directory: sum(_size(path) for path in group) for directory, group in by_directory.items()}
    half = sum(sizes.values()) * (1 - CHILD_SHARE)
    first: list[str] = []
    second: list[str] = []
    taken = 0
    for directory, group in by_directory.items():
        (first if taken < half else second).extend(group)
        taken += sizes[directory]
    return first, second


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _fork(ws: Workspace, paths: list[str], load: Load) -> tuple[int, int] | None:
    """(pid, read end of the pipe) of a child loading `paths`; None when there is nothing to do."""
    if not paths:
        return None
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    status = 1
    try:  # the child: load, send, and leave without running the parent's exit handlers
        os.close(read_end)
        errors: list = []  # type: ignore[type-arg]
        loaded = {path: load(ws, path, errors) for path in paths}
        with os.fdopen(write_end, "wb") as stream:  # streamed: neither side holds the whole pickle
            # One file at a time, forgetting what was sent: a pickler remembers every object it
            # wrote (about 100 bytes each), which for half of a 2000-file tree is more than the data.
            pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
            for item in loaded.items():
                pickler.dump(item)
                pickler.clear_memo()
            pickler.dump(None)
            pickler.dump((ws.texts(), ws.read_paths(), errors))
        status = 0
    finally:
        os._exit(status)


def _receive(pid: int, read_end: int) -> tuple[dict[str, ParsedFile], dict[str, str], list[str], list] | None:  # type: ignore[type-arg]
    import pickle

    received = None
    with os.fdopen(read_end, "rb") as stream:
        try:
            loaded: dict[str, ParsedFile] = {}
            while (item := pickle.load(stream)) is not None:
                loaded[item[0]] = item[1]
            texts, read, errors = pickle.load(stream)
            received = loaded, texts, read, errors
        except Exception:  # noqa: BLE001 - whatever went wrong, this process reads the half itself
            received = None
    _, status = os.waitpid(pid, 0)
    return received if status == 0 else None
