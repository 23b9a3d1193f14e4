"""The one exception family users see: every message is written for the person running multisum."""

from __future__ import annotations


class MultisumError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""


class InputError(MultisumError):
    """A path, file or article that cannot be read or holds no usable text."""


class UnknownAlgorithmError(MultisumError):
    """An algorithm name that is not in the registry."""


class TemplateError(MultisumError):
    """A user template that is missing or fails to render."""


class VerificationError(MultisumError):
    """A briefing that cannot be checked: unreadable JSON or articles that cannot be found."""
