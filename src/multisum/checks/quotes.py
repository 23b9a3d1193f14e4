"""Direct quotations: verbatim, with their speaker, merged across the outlets that carry them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from multisum.model import Citation, Quote, Ranking, Story, text_hash
from multisum.options import DEFAULT_QUOTES

#: A quotation shorter than this is a phrase ("bamboo diplomacy"), not something someone said.
MIN_QUOTE_WORDS = 6

# Opening and closing marks may mix (“...Moscow."); a quote never crosses a paragraph.
_QUOTATION = re.compile(r"[“\"](?P<body>[^“”\"\n]+)[”\"]")
_SPEECH = (
    r"(?:said|says|stated|states|warned|warns|declared|told(?: [A-Z][\w.]*)+|wrote|writes|added|"
    r"posted|noted|insisted|stressed|argued|explained|saying|stating|writing|warning|adding)"
)
# "... said Nguyen Khac Giang, an analyst" / "," the president said.
_SPEAKER_AFTER = re.compile(
    rf"^[\s,]*(?:{_SPEECH}\s+(?P<named>[A-Z][^,.;:“\"]{{1,60}})|"
    rf"(?P<subject>(?:the |a |an )?[\w.'’ -]{{2,60}}?)\s+{_SPEECH}\b)"
)
# ... the embassy also warned before the visit that “ / Jang stated, “ / He told Reuters: "
_SPEAKER_BEFORE = re.compile(rf"\b{_SPEECH}\b(?:[^“\".!?]{{0,60}}?)?(?:\s+that)?[\s,:]*$")
_LEADING = re.compile(r"^(?:and|but|while|with|as|so|then|meanwhile|also)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?:also|then|later|previously|again|had|has|have|was|is)$")
_RELATIVE = frozenset(["which", "who", "that", "whom", "where"])
_VERB_LIKE = re.compile(r"^[a-z][a-z]+(?:ed|ing)$")


@dataclass(frozen=True, slots=True)
class _Found:
    article: str
    start: int
    end: int
    text: str
    speaker: str
    key: str


def find_quotes(
    story: Story, ranking: Ranking, *, limit: int = DEFAULT_QUOTES
) -> tuple[Quote, ...]:
    """The quotations of the story, each once with every outlet that carries it.

    Quotes carried by several outlets come first and are always shown; ``limit`` caps the rest,
    taken in order of the rank of the sentence they appear in.
    """
    scores = ranking.score_of()
    if limit <= 0:
        return ()
    found = [q for article in story.articles for q in _quotes_in(article.id, article.text)]
    sentence_at = _sentence_lookup(story)
    groups: list[list[_Found]] = []
    for quote in found:
        for group in groups:
            if any(_same_quote(quote.key, other.key) for other in group):
                if all(other.article != quote.article for other in group):
                    group.append(quote)
                break
        else:
            groups.append([quote])
    quotes = []
    for group in groups:
        ordered = sorted(group, key=lambda q: -len(q.text))  # the fullest wording is the one shown
        citations = []
        best = 0.0
        for q in ordered:
            position = sentence_at(q.article, q.start)
            index = story.sentences[position].index if position is not None else None
            best = max(best, scores.get(position, 0.0) if position is not None else 0.0)
            citations.append(Citation(q.article, q.start, q.end, text_hash(q.text), index))
        speaker = next((q.speaker for q in ordered if q.speaker), "")
        quotes.append(Quote(ordered[0].text, speaker, tuple(citations), best))
    order = sorted(
        range(len(quotes)), key=lambda i: (-len(quotes[i].citations), -quotes[i].score, i)
    )
    shared = [i for i in order if len(quotes[i].citations) > 1]
    single = [i for i in order if len(quotes[i].citations) == 1][: max(0, limit - len(shared))]
    keep = set(shared) | set(single)
    return tuple(quotes[i] for i in order if i in keep)


def _quotes_in(article: str, text: str) -> list[_Found]:
    found = []
    seen: set[str] = set()
    for match in _QUOTATION.finditer(text):
        body = match["body"]
        trimmed = body.rstrip(" ,")
        start = match.start("body") + (len(trimmed) - len(trimmed.lstrip()))
        trimmed = trimmed.strip()
        tokens = quote_tokens(trimmed)
        if len(tokens) < MIN_QUOTE_WORDS:
            continue
        key = " ".join(tokens)
        if key in seen:
            continue
        seen.add(key)
        speaker = find_speaker(text[: match.start()], text[match.end() :])
        found.append(_Found(article, start, start + len(trimmed), trimmed, speaker, key))
    return found


def quote_tokens(text: str) -> list[str]:
    """Lower-cased words with British spellings folded, so "normalise" matches "normalize"."""
    tokens = re.findall(r"[^\W_]+", text.lower())
    return [_american(token) for token in tokens]


def _american(token: str) -> str:
    token = re.sub(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)$", r"iz\1", token)
    return re.sub(r"(?<=\w\w[^aeiou])our$", "or", token)


def _same_quote(first: str, second: str) -> bool:
    shorter, longer = sorted((first, second), key=len)
    return f" {shorter} " in f" {longer} "


def find_speaker(before: str, after: str) -> str:
    """Who is quoted, as the article words it, or "" when the sentence does not say."""
    before = re.split(r"\n|[“”\"]|(?<=[a-z0-9][.!?])\s+(?=[A-Z])", before)[-1]
    if verb := _SPEAKER_BEFORE.search(before):
        clauses = [c for c in re.split(r"[,;:–—]", before[: verb.start()])]
        for clause in reversed(clauses):
            if clause.strip().lower() in _RELATIVE:
                # "Putin's article for Nhân Dân, the party's newspaper, which declared": the
                # pronoun may point at either noun, so the speaker is left unnamed, not guessed.
                return ""
            speaker = _subject(clause)
            if speaker:
                return speaker
        return ""
    after = after.split("\n")[0]
    if match := _SPEAKER_AFTER.match(after):
        return (match["named"] or _subject(match["subject"] or "")).strip()
    return ""


def _subject(clause: str) -> str:
    """The noun phrase that opens ``clause``, cut before its verb ("the embassy denounced ...")."""
    words = _LEADING.sub("", clause.strip()).split()
    kept = []
    for word in words:
        if _VERB_LIKE.match(word) and kept:
            break
        kept.append(word)
    speaker = _TRAILING.sub("", " ".join(kept)).strip()
    if speaker.lower() in _RELATIVE:
        return ""
    return speaker if len(speaker.split()) <= 10 and any(c.isalpha() for c in speaker) else ""


def _sentence_lookup(story: Story):
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for position, sentence in enumerate(story.sentences):
        spans.setdefault(sentence.article, []).append((sentence.start, sentence.end, position))

    def lookup(article: str, offset: int) -> int | None:
        for start, end, position in spans.get(article, ()):
            if start <= offset < end:
                return position
        return None

    return lookup


__all__ = ["find_quotes", "find_speaker", "quote_tokens"]
