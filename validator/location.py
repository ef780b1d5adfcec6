"""Where a value is written: every finding points at one of these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in a file: 1-based lines and columns (columns count characters), end exclusive."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        # A point location spans nothing; normalise so reporters never see end < start.
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
            object.__setattr__(self, "end_column", max(self.end_column, self.column))
        elif self.end_line == self.line and self.end_column < self.column:
            object.__setattr__(self, "end_column", self.column)

    @classmethod
    def span(cls, path: str, line: int, column: int, text: str) -> Location:
        """The location of `text` written at (line, column), following its newlines."""
        newlines = text.count("\n")
        if newlines:
            return cls(path, line, column, line + newlines, len(text) - text.rfind("\n"))
        return cls(path, line, column, line, column + len(text))

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int, int, int]]:
        # A tuple pickles in C; a slots dataclass's state goes through Python code, and a parallel
        # run (validator.parallel) pickles one Location per value it read.
        return Location, (self.path, self.line, self.column, self.end_line, self.end_column)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"
