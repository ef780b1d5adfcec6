"""Reading files safely, once: size limits, encodings, and a cache shared by all sources."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable
from typing import TypeVar

from validator import fileio
from validator.findings import Finding, Severity
from validator.location import Location

T = TypeVar("T")

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class SourceError(Exception):
    """A file cannot be read or parsed; carries the OW001 finding to report for it."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def unreadable(location: Location, message: str) -> SourceError:
    return SourceError(Finding("OW001", Severity.ERROR, message, location))


def decode(data: bytes, path: str) -> str:
    """Decode as UTF-8 (or UTF-16 with a BOM); newlines become \\n so positions stay right."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise unreadable(Location(path, line, column), f"cannot decode as {encoding}: invalid byte at this position") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise unreadable(Location(path, line, 1), "binary file (NUL byte): not a text file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class Workspace:
    """Every file a run touches goes through here, so each is read and parsed only once, and the
    run knows every file it read (`--output` and `--write-baseline` must be none of them)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._texts: dict[str, str | SourceError] = {}
        self._parsed: dict[tuple[str, str], object] = {}
        self._seen: dict[str, None] = {}
        self._listings: dict[str, list[str]] = {}

    def text(self, path: str) -> str:
        """The file's text; raises SourceError (OW001) for anything that is not a readable text file."""
        cached = self._texts.get(path)
        if cached is None:
            self.note(path)
            try:
                cached = self._read(path)
            except SourceError as exc:
                cached = exc
            self._texts[path] = cached
        if isinstance(cached, SourceError):
            raise cached
        return cached

    def cached_text(self, path: str) -> str | None:
        """The text if this run already read it, else None: later passes (suppression comments)
        look at what was checked without reading any file again."""
        cached = self._texts.get(path)
        return cached if isinstance(cached, str) else None

    def texts(self) -> dict[str, str]:
        """Every text read so far (validator.parallel sends a child's to its parent)."""
        return {path: text for path, text in self._texts.items() if isinstance(text, str)}

    def adopt(self, texts: dict[str, str], read: Iterable[str] = ()) -> None:
        """Texts another process read for this run, for the passes that look at them later, and
        every path it read or tried to read."""
        for path, text in texts.items():
            self._texts.setdefault(path, text)
        for path in read:
            self.note(path)

    def note(self, path: str) -> None:
        """Record a path this run reads (or tries to) without going through `text`: a database
        and its `-wal`, `-shm` and `-journal`."""
        self._seen.setdefault(path, None)

    def read_paths(self) -> list[str]:
        """Every path this run read or tried to read, as it was named."""
        return list(self._seen)

    def was_read(self, target: str) -> bool:
        """Whether `target` is a file this run read: same resolved path, or same device and inode
        (a hard link), symbolic links followed on both sides."""
        return fileio.same_as_any(target, self._seen)

    def names(self, directory: str) -> list[str]:
        """The sorted names in a directory, listed once per run (20,000 env files in one directory
        each ask for the compose files beside them); empty when it cannot be listed."""
        names = self._listings.get(directory)
        if names is None:
            try:
                names = sorted(os.listdir(directory or "."))
            except OSError:
                names = []
            self._listings[directory] = names
        return names

    def parsed(self, kind: str, path: str, parse: Callable[[str, str], T]) -> T:
        """`parse(text, path)` once per (kind, path); a SourceError is cached and re-raised too."""
        key = (kind, path)
        if key not in self._parsed:
            try:
                self._parsed[key] = parse(self.text(path), path)
            except SourceError as exc:
                self._parsed[key] = exc
        result = self._parsed[key]
        if isinstance(result, SourceError):
            raise result
        return result  # type: ignore[return-value]

    def release(self, kind: str, path: str, *, keep_text: bool = True) -> None:
        """Drop a parse that no other reader will ask for. YAML nodes take about 400 bytes each (a
        200 KB manifest is 7 MB of them); a run keeps what was read from them, not the nodes.
        Without `keep_text` the text goes too: `cached_text` then answers None, as for a file
        never read."""
        self._parsed.pop((kind, path), None)
        if not keep_text and isinstance(self._texts.get(path), str):
            del self._texts[path]

    def _read(self, path: str) -> str:
        return decode(read_bytes(path, self.max_bytes), path)


def read_bytes(path: str, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` of them; SourceError (OW001 at 1:1) for anything
    else: a FIFO, socket or device is refused before it is opened (validator.fileio)."""
    here = Location(path)
    try:
        return fileio.read_regular(path, limit)
    except FileNotFoundError:
        raise unreadable(here, "file not found (or a broken symbolic link)") from None
    except (fileio.NotRegularFile, fileio.TooLarge) as exc:
        raise unreadable(here, str(exc)) from None
    except OSError as exc:
        raise unreadable(here, f"cannot read: {exc.strerror}") from None
