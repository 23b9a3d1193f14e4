"""Options: every default once, and a bad value refused with a message naming it."""

from __future__ import annotations

import pytest

import multisum
from multisum.errors import OptionsError
from multisum.options import (
    DEFAULT_ALGORITHM,
    DEFAULT_WORDS,
    FORMATS,
    DigestOptions,
    FetchOptions,
    Options,
)


def test_defaults():
    options = Options()
    assert (options.algorithm, options.words) == (DEFAULT_ALGORITHM, DEFAULT_WORDS)
    assert options.sentences is None and options.topics is None and options.spacy_model is None
    assert DigestOptions().formats == ("markdown",)
    assert set(FORMATS) == {"markdown", "json", "html"}


@pytest.mark.parametrize(
    ("options", "value"),
    [
        ({"words": 0}, "0"),
        ({"words": -5}, "-5"),
        ({"sentences": 0}, "0"),
        ({"sentences": -2}, "-2"),
        ({"topics": 0}, "0"),
        ({"topics": -1}, "-1"),
        ({"quotes": -3}, "-3"),
        ({"exclusives": -4}, "-4"),
    ],
)
def test_a_bad_briefing_option_is_refused_naming_the_value(options, value):
    with pytest.raises(OptionsError) as raised:
        Options(**options)
    message = str(raised.value)
    assert value in message
    assert next(iter(options)).rstrip("s") in message  # names the option too


@pytest.mark.parametrize(
    ("options", "value"),
    [({"timeout": 0}, "0"), ({"timeout": -1.5}, "-1.5"), ({"retries": -1}, "-1")],
)
def test_a_bad_fetch_option_is_refused_naming_the_value(options, value):
    with pytest.raises(OptionsError, match=value):
        FetchOptions(**options)


def test_the_api_checks_the_same_options():
    with pytest.raises(OptionsError, match="-7"):
        multisum.summarize([], words=-7)


@pytest.mark.parametrize("formats", [("pdf",), ("markdown", "docx")])
def test_digest_options_refuse_an_unknown_format(formats):
    with pytest.raises(OptionsError) as raised:
        DigestOptions(formats=formats)
    assert formats[-1] in str(raised.value)
    assert "markdown, json, html" in str(raised.value)  # and says what is valid


def test_digest_options_want_a_format():
    with pytest.raises(OptionsError, match="at least one format"):
        DigestOptions(formats=())


@pytest.mark.parametrize("date", ["2026-13-01", "20/11/2026", "yesterday", "2026-02-30"])
def test_digest_options_refuse_a_bad_date(date):
    with pytest.raises(OptionsError, match="YYYY-MM-DD") as raised:
        DigestOptions(date=date)
    assert repr(date) in str(raised.value)


def test_digest_options_take_a_good_date_and_every_format():
    options = DigestOptions(date="2026-11-20", formats=tuple(FORMATS))
    assert options.date == "2026-11-20" and options.formats == ("markdown", "json", "html")


def test_options_are_frozen():
    options = Options()
    with pytest.raises(AttributeError):
        options.words = 10  # type: ignore[misc]
