"""Split cleaned articles into sentences with the shared spaCy pipeline (see ``multisum.nlp``),
and tell which sentences can stand alone as briefing lines."""

from __future__ import annotations

import re
from collections.abc import Iterable

from multisum.model import Article, Sentence, Story
from multisum.nlp import load_pipeline
from multisum.text import ends_sentence, word_count


def split_sentences(articles: Iterable[Article], *, model: str | None = None) -> list[Sentence]:
    """All sentences of the cleaned ``articles``, paragraph boundaries always ending a sentence."""
    nlp = load_pipeline(model)
    sentences: list[Sentence] = []
    for article in articles:
        paragraphs = list(_paragraph_spans(article.text))
        docs = nlp.pipe(text for _, text in paragraphs)
        index = 0
        for number, ((offset, _), doc) in enumerate(zip(paragraphs, docs)):
            for span in doc.sents:
                text = span.text.strip()
                if not any(character.isalnum() for character in text):
                    continue
                start = offset + span.start_char + (len(span.text) - len(span.text.lstrip()))
                sentences.append(
                    Sentence(text, article.id, index, start, start + len(text), number)
                )
                index += 1
    return sentences


def _paragraph_spans(text: str) -> Iterable[tuple[int, str]]:
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        yield match.start(), match.group()


def is_candidate(sentence: Sentence) -> bool:
    """Whether a sentence can stand alone as a briefing line.

    Complete sentences of 6 to 70 words, not opening mid-quote or in lower case, not a question,
    not an introduction to a quote that follows.
    """
    text = sentence.text
    count = word_count(text)
    if count < 6 or count > 70 or not ends_sentence(text) or text.endswith("?"):
        return False
    if text[0].islower() or text.rstrip().endswith(":"):
        return False
    straight_quotes = text.count('"')
    curly_open, curly_close = text.count("“"), text.count("”")
    return straight_quotes % 2 == 0 and curly_open == curly_close


def candidate_positions(story: Story) -> list[int]:
    """Positions (in ``story.sentences``) of the sentences that can be briefing lines."""
    return [i for i, sentence in enumerate(story.sentences) if is_candidate(sentence)]
