"""The video engine's errors: the ones a user can fix, told apart from bugs.

``vigil video …`` exits 2 on these, with the message naming what to fix; anything else is an
internal error (exit 1).
"""

from __future__ import annotations


class VideoInputError(Exception):
    """Bad input the user can fix: a config, a model, a file or a stream."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class ConfigError(VideoInputError):
    """A camera config that breaks the schema; ``problem`` names the field."""


class ModelError(VideoInputError):
    """A detector model that is missing, corrupt or of an unknown output layout."""


class SourceError(VideoInputError):
    """A file or stream that cannot be opened or decoded."""
