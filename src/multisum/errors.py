"""The one exception family users see: every message is written for the person running multisum.

The CLI prints a ``MultisumError`` as one line on standard error and exits with status 1, or 2
for an ``OptionsError`` (a usage error, as for a flag click itself refuses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multisum.model import Skipped


class MultisumError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""


class OptionsError(MultisumError):
    """An option value that cannot work (a negative budget, a bad date or format)."""


class InputError(MultisumError):
    """A path, file or article that cannot be read or holds no usable text."""


class UnknownAlgorithmError(MultisumError):
    """An algorithm name that is not in the registry."""


class RankerError(MultisumError):
    """A ranker that breaks its contract (a plug-in returning the wrong number of scores)."""


class TemplateError(MultisumError):
    """A user template that is missing or fails to render."""


class OutputError(MultisumError):
    """A file that cannot be written."""


class VerificationError(MultisumError):
    """A briefing that cannot be checked: unreadable JSON or articles that cannot be found."""


class SourceError(MultisumError):
    """A source (URL, feed or page) that cannot be read; the digest skips it and says why."""


class MissingExtraError(MultisumError):
    """An optional dependency that a source needs is not installed."""


class MissingExtraOptionError(OptionsError, MissingExtraError):
    """An option whose optional dependency is not installed (``--workers`` without Dask): a usage
    error, so the CLI exits with status 2."""


class ClusterError(MultisumError):
    """The Dask cluster a digest runs on cannot be reached, has no workers, or was lost."""


class StateError(MultisumError):
    """The digest's state database cannot be opened or is damaged."""


class StateBusyError(StateError):
    """Another digest run holds the state folder."""


class StateDamagedError(StateError):
    """The state database is damaged, emptied or missing; the message says how to recover."""


class NothingReadError(SourceError):
    """Not one of a digest's sources could be read; ``skipped`` says why for each."""

    def __init__(self, message: str, skipped: tuple[Skipped, ...] = ()) -> None:
        super().__init__(message)
        self.skipped = skipped
