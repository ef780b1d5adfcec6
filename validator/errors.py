"""The one kind of error a user sees: a one-line message, exit status 2, never a traceback."""

from __future__ import annotations


class UsageError(Exception):
    """A bad flag, configuration or baseline: `owui-validate: error: <message>`."""
