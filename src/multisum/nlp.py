"""The one spaCy loader: a pipeline is built once per process and shared by every stage.

The default is ``spacy.blank("en")`` with the rule-based sentencizer plus news rules, so it needs no
trained model and no network. A trained pipeline (``en_core_web_sm`` or any installed package) can
be named instead; its parser then decides the boundaries, and the news rules still run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from multisum.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Titles and abbreviations after which a capitalised word or a number does not start a sentence.
_TITLES = frozenset(
    (
        "gen. lt. col. maj. capt. sgt. cpl. adm. cmdr. gov. sen. rep. rev. prof. dr. mr. mrs. ms. "
        "st. mt. ft. jr. sr. vs. v. inc. corp. co. ltd. dept. jan. feb. mar. apr. jun. jul. aug. "
        "sep. sept. oct. nov. dec. est. approx."
    ).split()
)
# Abbreviations that only come before a number ("No. 1", "Art. 5").
_BEFORE_NUMBERS = frozenset(["no.", "nos.", "art.", "sec.", "fig.", "vol.", "ch.", "p.", "pp."])
# Words that, capitalised after "U.S." or a similar acronym, start a new sentence.
_SENTENCE_STARTERS = frozenset(
    (
        "The A An He She It They We I In On At But And This That These Those There His Her Its "
        "Their Our After Before When While As If For Since Still Yet So Meanwhile However"
    ).split()
)
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$")
_COMPONENT = "multisum_news_boundaries"
#: Strings a pipeline's vocabulary may gain before the pipeline is built afresh. spaCy keeps every
#: string it meets, so a process that splits story after story (a digest's cluster worker) would
#: grow with every name and number it reads; what a pipeline splits does not depend on what it
#: read before, so a fresh one changes no output.
VOCABULARY_GROWTH = 50_000
# how many strings each pipeline (by model) held when it was built
_built_with: dict[str | None, int] = {}


def _news_boundaries(doc: Doc) -> Doc:
    """Fix boundaries the generic rules get wrong in news text."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        word = previous.lower_
        if word == "." and token.i >= 2 and not doc[token.i - 2].whitespace_:
            word = doc[token.i - 2].lower_ + "."  # the tokenizer split "No." into "No" "."
        if (word in _TITLES and (token.is_digit or token.is_title or token.is_upper)) or (
            word in _BEFORE_NUMBERS and token.like_num
        ):
            token.is_sent_start = False
        elif _ACRONYM.match(previous.text) and token.text in _SENTENCE_STARTERS:
            token.is_sent_start = True
        elif previous.text in ("...", "…") and token.is_lower:
            token.is_sent_start = False
    return doc


def load_pipeline(model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline used for sentence splitting; built again once its
    vocabulary has grown by ``VOCABULARY_GROWTH`` strings."""
    # One cache key per model: ``load_pipeline()`` and ``load_pipeline(None)`` are one pipeline.
    nlp = _build_pipeline(model)
    strings = len(nlp.vocab.strings)
    if strings - _built_with.setdefault(model, strings) > VOCABULARY_GROWTH:
        _build_pipeline.cache_clear()
        _built_with.clear()
        nlp = _build_pipeline(model)
        _built_with[model] = len(nlp.vocab.strings)
    return nlp


@lru_cache(maxsize=4)
def _build_pipeline(model: str | None) -> Language:
    import spacy
    from spacy.language import Language

    if not Language.has_factory(_COMPONENT):
        Language.component(_COMPONENT)(_news_boundaries)
    if model is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "attribute_ruler"])
        except OSError:
            raise InputError(
                f"the spaCy pipeline {model!r} is not installed; install it as a Python package "
                "(for example `pip install 'multisum[trained]'`) or leave --spacy-model unset "
                "to use the built-in splitter"
            ) from None
    if "parser" in nlp.pipe_names:
        # The parser respects boundaries set before it, and refuses changes after it.
        nlp.add_pipe(_COMPONENT, before="parser")
    else:
        nlp.add_pipe(_COMPONENT, last=True)
    return nlp
