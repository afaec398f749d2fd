"""The exceptions of rightsgraph, and the exit code each maps to on the command line.

    RightsgraphError              exit 3: a runtime failure (I/O, a store that cannot open)
    ├── DataError                 exit 1: the data has problems; carries every Problem found
    ├── EndpointError             exit 3: a remote SPARQL endpoint failed or could not be reached
    └── UsageError                exit 2: the request itself is wrong (unknown query, bad --param)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, at a file and line (line 0 when unknown)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class RightsgraphError(Exception):
    """Base class of the project's errors."""

    exit_code = 3


class DataError(RightsgraphError):
    """The authored data (or a corpus check) found problems."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        first = self.problems[0] if self.problems else "no details"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}")


class EndpointError(RightsgraphError):
    """A remote SPARQL endpoint failed, timed out or could not be reached."""


class UsageError(RightsgraphError):
    """The request is wrong: an unknown named query, a malformed parameter, a missing option."""

    exit_code = 2
