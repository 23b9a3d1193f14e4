"""The one exception family users see: every message is written for the person running multisum.

The CLI prints a ``MultisumError`` as one line on standard error and exits with status 1.
"""

from __future__ import annotations


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


class StateError(MultisumError):
    """The digest's state database cannot be opened or is damaged."""


class StateBusyError(StateError):
    """Another digest run holds the state folder."""
