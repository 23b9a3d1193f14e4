"""Do the articles tell one story? Name those that share little with the rest.

A briefing of articles on unrelated stories reads as one story that never happened, so the reader
is told which articles stand apart. What an article is about shows in the content words it uses
most (names, places, the subject); in a story told by several outlets those words recur in the
other articles, in an unrelated article they do not. Each article scores the share of the other
articles that carry each of its ten commonest content words, averaged; the threshold was set on
the evaluation sets (DUC 2003, DUC 2006, Multi-News): about 1 in 200 articles of a real cluster
falls below it, against two in three articles added from another cluster and of random mixtures
of any size. Two stories told by equal halves are not caught: each half's words recur in the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from multisum.model import Article
from multisum.text import content_terms

#: Content words of an article that say what it is about.
TOP_TERMS = 10
#: Average share of the other articles carrying those words below which an article stands apart.
MIN_SHARED = 0.1
#: Content words an article needs before it can be judged; a stub says too little.
MIN_TERMS = 40
#: Articles named in the note; the rest are counted.
NAMED = 5


def unrelated_articles(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The ``articles`` (cleaned) whose commonest words the other articles hardly use."""
    if len(articles) < 2:
        return ()
    counts = [Counter(content_terms(f"{a.title}\n{a.title}\n{a.text}")) for a in articles]
    carriers = Counter(term for count in counts for term in count)
    apart = []
    for article, count in zip(articles, counts):
        if sum(count.values()) < MIN_TERMS:
            continue
        top = sorted(count, key=lambda term: (-count[term], term))[:TOP_TERMS]
        shared = sum((carriers[term] - 1) / (len(articles) - 1) for term in top) / len(top)
        if shared < MIN_SHARED:
            apart.append(article)
    return tuple(apart)


def mixture_note(articles: Sequence[Article]) -> str:
    """A note naming the articles that seem to tell other stories, or ``""``."""
    apart = unrelated_articles(articles)
    if not apart:
        return ""
    names = [a.path or a.id for a in apart[:NAMED]]
    if len(apart) > NAMED:
        names.append(f"{len(apart) - NAMED} more")
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    verb, stories = ("shares", "another story") if len(apart) == 1 else ("share", "other stories")
    return (
        f"{len(apart)} of the {len(articles)} articles {verb} few words with the rest and may tell "
        f"{stories} ({listed}); this briefing mixes them: brief each story apart, or let "
        "`multisum digest` group the articles into stories"
    )
