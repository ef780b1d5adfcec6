"""validator.fileio: special files refused from their stat, before any open could block; a file
named twice (symbolic link, hard link) recognised as one."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from validator import fileio


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "webui.env"
    os.mkfifo(fifo)  # no writer: an open() for reading would wait forever
    with pytest.raises(fileio.NotRegularFile, match="is a FIFO, not a regular file"):
        fileio.read_regular(str(fifo), 1024)


def test_a_symbolic_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.env").symlink_to("/dev/zero")
    with pytest.raises(fileio.NotRegularFile, match="is a character device"):
        fileio.read_regular(str(tmp_path / "zero.env"), 1024)


def test_a_socket_and_a_directory_are_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.env"))
        with pytest.raises(fileio.NotRegularFile, match="is a socket"):
            fileio.check_regular(str(tmp_path / "s.env"))
    with pytest.raises(fileio.NotRegularFile, match="is a directory"):
        fileio.check_regular(str(tmp_path))


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.env"
    big.write_bytes(b"A=1\n" * 10)
    with pytest.raises(fileio.TooLarge, match="file is 40 bytes, over the 39-byte limit"):
        fileio.read_regular(str(big), 39)
    assert fileio.read_regular(str(big), 40) == b"A=1\n" * 10


def test_same_file_through_symbolic_and_hard_links(tmp_path: Path) -> None:
    real = tmp_path / "secrets.env"
    real.write_text("WEBUI_SECRET_KEY=x\n")
    (tmp_path / "link.env").symlink_to(real)
    os.link(real, tmp_path / "hard.env")
    (tmp_path / "other.env").write_text("")
    for alias in ("link.env", "hard.env", "./sub/../secrets.env"):
        assert fileio.same_as_any(str(tmp_path / alias), [str(real)])
    assert fileio.same_as_any(str(real), [str(tmp_path / "link.env")])
    assert not fileio.same_as_any(str(tmp_path / "other.env"), [str(real)])
    assert not fileio.same_as_any(str(tmp_path / "new.sarif"), [str(real)])  # not there yet: no match
