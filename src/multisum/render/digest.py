"""Render a digest as JSON, Markdown or HTML from the Jinja2 templates shipped with the package."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from multisum.model import Article, CarriedStory, Digest, DigestStory, Skipped
from multisum.render.briefing import briefing_to_dict, template_context
from multisum.render.environment import packaged_template, render_pieces

TEMPLATES = {"markdown": "digest.md.j2", "html": "digest.html.j2"}
#: Up to this many skips are listed one by one; more are summed up per reason (all of them stay
#: in the JSON digest), so two thousand teasers do not bury the news.
LISTED_SKIPS = 10
#: Sources named for each reason in a summary.
SKIP_EXAMPLES = 3
#: Characters of rendered text encoded to UTF-8 at a time.
ENCODE_CHARACTERS = 1 << 20


@dataclass(frozen=True, slots=True)
class SkipGroup:
    """Skips of one kind: the reason (whole when all share it), how many, the first few named."""

    reason: str
    count: int
    examples: tuple[str, ...]


def skip_kind(reason: str) -> str:
    """The kind of a skip: its reason up to the first detail (``: ...``, `` (...)``, ``; ...``).

    Reasons are written that way ("could not fetch (tried 3 times): timed out"), so that skips
    group by what went wrong, not by the detail of each case.
    """
    cuts = [i for i in (reason.find(": "), reason.find(" ("), reason.find("; ")) if i > 0]
    return reason[: min(cuts)] if cuts else reason


def summarize_skips(
    skipped: Sequence[Skipped], *, examples: int = SKIP_EXAMPLES
) -> tuple[SkipGroup, ...]:
    """Skips grouped by kind, the most frequent first (ties by reason, so the order is stable)."""
    groups: dict[str, list[Skipped]] = {}
    for item in skipped:
        groups.setdefault(skip_kind(item.reason), []).append(item)
    summary = [
        SkipGroup(
            items[0].reason if len({i.reason for i in items}) == 1 else kind,
            len(items),
            tuple(i.source for i in items[:examples]),
        )
        for kind, items in groups.items()
    ]
    return tuple(sorted(summary, key=lambda group: (-group.count, group.reason)))


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    """The JSON contract: date, counts, every story (single-outlet ones too), skipped inputs."""
    return _digest_dict(digest, list(_story_dicts(digest)))


def _digest_dict(digest: Digest, stories: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "date": digest.date,
        "counts": digest.counts,
        "stories": stories,
        "skipped": [{"source": s.source, "reason": s.reason} for s in digest.skipped],
        "notes": list(digest.notes),
    }


def _story_dicts(digest: Digest) -> Iterator[dict[str, Any]]:
    yield from (_story_to_dict(story) for story in digest.stories)
    yield from (dict(story.data) for story in digest.carried)


def _json_pieces(digest: Digest) -> Iterator[str]:
    """``digest_to_dict`` as indented JSON, in pieces: together the same text as one
    ``json.dumps`` of it.

    Stories are converted and dumped one at a time: with ``indent`` the encoder collects the whole
    text as small pieces before joining them, which for a firehose's digest is several times the
    file's size, on top of the dictionaries of every story.
    """
    text = json.dumps(_digest_dict(digest, []), ensure_ascii=False, indent=2) + "\n"
    if not digest.stories and not digest.carried:
        yield text
        return
    empty = '\n  "stories": [],'
    cut = text.index(empty)  # date and counts come first and hold no line breaks
    yield f'{text[:cut]}\n  "stories": [\n'
    for number, story in enumerate(_story_dicts(digest)):
        dumped = json.dumps(story, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield f",\n    {dumped}" if number else f"    {dumped}"
    yield f"\n  ],{text[cut + len(empty) :]}"


def _story_to_dict(story: DigestStory) -> dict[str, Any]:
    copies = [article for _, group in story.copies for article in group]
    return {
        "title": story.title,
        "articles": [a.id for a in story.articles] + [a.id for a in copies],
        "outlets": list(story.outlets),
        "links": [_link(a) for a in story.articles],
        "copies": [
            {"original": original, "copies": [_link(a) for a in group]}
            for original, group in story.copies
        ],
        "continues": (
            {"digest": story.continues.digest, "title": story.continues.title}
            if story.continues
            else None
        ),
        "notes": list(story.notes),
        "briefing": briefing_to_dict(story.briefing) if story.briefing else None,
    }


def _link(article: Article) -> dict[str, str]:
    return {
        "id": article.id,
        "outlet": article.label,
        "title": article.title,
        "url": article.url,
        "published": article.published,
    }


def render_digest(digest: Digest, kind: str) -> str:
    """The digest as ``json``, ``markdown`` or ``html`` text."""
    return "".join(_pieces(digest, kind))


def encode_digest(digest: Digest, kind: str) -> bytes:
    """``render_digest`` as UTF-8, encoded as it is rendered: a digest of tens of thousands of
    stories is never one Python string (four bytes a character once one emoji is in it) or a
    list of every piece of it, only the bytes of the file."""
    encoded, waiting, size = [], [], 0
    for piece in _pieces(digest, kind):
        waiting.append(piece)
        size += len(piece)
        if size >= ENCODE_CHARACTERS:
            encoded.append("".join(waiting).encode("utf-8"))
            waiting, size = [], 0
    encoded.append("".join(waiting).encode("utf-8"))
    return b"".join(encoded)


def _pieces(digest: Digest, kind: str) -> Iterator[str]:
    if kind == "json":
        yield from _json_pieces(digest)
        return
    data = digest_to_dict(digest)
    for story_data, story in zip(data["stories"], digest.stories):
        story_data["briefing_view"] = template_context(story.briefing) if story.briefing else None
    for story_data, carried in zip(data["stories"][len(digest.stories) :], digest.carried):
        story_data["briefing_view"] = _carried_view(carried)
    data["skip_summary"] = (
        [
            {"reason": group.reason, "count": group.count, "examples": list(group.examples)}
            for group in summarize_skips(digest.skipped)
        ]
        if len(digest.skipped) > LISTED_SKIPS
        else None
    )
    template = packaged_template(TEMPLATES[kind])
    held = ""  # line breaks that end what was rendered so far: kept only if text follows
    for piece in render_pieces(template, "digest template", digest=data):
        body = piece.rstrip("\n")
        if body:
            yield held + body
            held = piece[len(body) :]
        else:
            held += piece
    yield "\n"  # the file ends with one line break, whatever the template's last block leaves


def _carried_view(story: CarriedStory) -> dict[str, Any] | None:
    """What the templates show of a carried story's briefing: its sections and lines, each line
    with the outlets that file said report it."""
    briefing = story.data.get("briefing")
    if briefing is None:
        return None
    sections = [
        {
            "topic": section["topic"],
            "lines": [
                {"text": line["text"], "outlets": line["corroboration"]["outlets"]}
                for line in section["lines"]
            ],
        }
        for section in briefing["sections"]
    ]
    return {"briefing": {"sections": sections}}
