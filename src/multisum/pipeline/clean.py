"""Strip web boilerplate from article text and repair its paragraphs.

Cleaning is a visible list of named rules (``RULES``). Each rule takes a ``Draft`` (the paragraphs
so far, the headline found so far, and a log of what was removed) and returns a new one, so a rule
can be tested alone with ``apply_rule`` and a new rule is one function plus one entry in the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from multisum.model import Article
from multisum.text import ends_sentence, stop_words, word_count, words

# Words after which a line or paragraph cannot end a sentence: a break there is a broken paragraph.
CONNECTORS = frozenset(
    (
        "a an the of in on at to for from by with and or but as than that which who whose into "
        "onto over under about between its their his her our your this these those"
    ).split()
)


@dataclass(frozen=True, slots=True)
class Removal:
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Draft:
    paragraphs: tuple[str, ...]
    title: str = ""
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    title: str
    removed: tuple[Removal, ...]


Rule = Callable[[Draft], Draft]
_REGISTRY: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a cleaning rule under ``name`` (for ``apply_rule`` and the removal log)."""

    def register(function: Rule) -> Rule:
        _REGISTRY[name] = function
        return function

    return register


def _drop_when(name: str, is_noise: Callable[[str], bool]) -> Rule:
    """A rule that removes every paragraph ``is_noise`` accepts, logging it under ``name``."""

    def apply(draft: Draft) -> Draft:
        kept, removed = [], list(draft.removed)
        for paragraph in draft.paragraphs:
            if is_noise(paragraph):
                removed.append(Removal(name, paragraph))
            else:
                kept.append(paragraph)
        return replace(draft, paragraphs=tuple(kept), removed=tuple(removed))

    _REGISTRY[name] = apply
    return apply


def _short(paragraph: str, limit: int) -> bool:
    return len(paragraph.split()) <= limit


# --- Markdown -------------------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$|>~])")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")


@rule("markdown")
def markdown_syntax(draft: Draft) -> Draft:
    """Unescape Markdown escapes, unwrap links and emphasis; ``# headings`` become the headline."""
    kept, removed, title = [], list(draft.removed), draft.title
    for paragraph in draft.paragraphs:
        if heading := _MD_HEADING.match(paragraph):
            title = title or _unmark(heading[1])
            removed.append(Removal("markdown", paragraph))
            continue
        text = _unmark(paragraph)
        if text:
            kept.append(text)
    return Draft(tuple(kept), title, tuple(removed))


def _unmark(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_ESCAPE.sub(r"\1", text).strip()


# --- Page furniture -------------------------------------------------------------------------------

# "HomeInternational NewsRussian-Ukranian War", "Home > World > Asia", "Home / News"
_BREADCRUMBS = re.compile(r"^(?:Home|Accueil|Startseite|Inicio)\s*(?:[>»›/|]|(?=[A-Z]))")

breadcrumbs = _drop_when(
    "breadcrumbs", lambda p: bool(_BREADCRUMBS.match(p)) and not ends_sentence(p) and _short(p, 15)
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} {_MONTH},? \d{{4}}|{_MONTH} \d{{1,2}}(?:,? |/)\d{{4}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
)
# A paragraph that is only a date header: "24 June 2024", " date 2024-06-20 International",
# "Post At: Jun 20/2024 06:50PM", "Updated: June 20, 2024 10:01 am".
_DATE_HEADER = re.compile(
    rf"^(?:(?:date|posted|post at|published|updated|last updated)\b:?\s*)?(?:on\s+)?{_DATE}"
    r"(?:[ ,]+\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)?(?:\s+\w+){0,2}$",
    re.IGNORECASE,
)
# "LONDON (AP) _ ", "HANOI, Vietnam (Reuters) - ", "WASHINGTON — "
_DATELINE_PREFIX = re.compile(
    r"^(?:[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)?)?"
    r"(?: \((?:AP|AFP|Reuters|UPI|Xinhua|dpa|Bloomberg|CNN)\))? ?[_—–-]{1,2} )(?=[A-Z\"“'])"
)


@rule("datelines")
def datelines(draft: Draft) -> Draft:
    """Drop date-only header lines and strip "CITY (Agency) —" datelines from paragraph starts."""
    kept, removed = [], list(draft.removed)
    for paragraph in draft.paragraphs:
        if _DATE_HEADER.match(paragraph.strip()):
            removed.append(Removal("datelines", paragraph))
            continue
        if (prefix := _DATELINE_PREFIX.match(paragraph)) and len(prefix[0].split()) <= 6:
            removed.append(Removal("datelines", prefix[0].strip()))
            paragraph = paragraph[prefix.end() :]
        kept.append(paragraph)
    return replace(draft, paragraphs=tuple(kept), removed=tuple(removed))


_WIDGET = re.compile(
    r"\b(?:print(?: friendly)?|pdf|e-?mail|share(?: this)?|subscribe|newsletter|sign up|comments?|"
    r"translate|follow us|advertisement|read more|related (?:articles|stories|posts)|click here|"
    r"leave a (?:comment|reply)|tweet|whatsapp|facebook|linkedin|listen to (?:this )?article|"
    r"download (?:the )?app|skip to (?:main )?content|back to top)\b",
    re.IGNORECASE,
)

site_widgets = _drop_when(
    "site_widgets",
    lambda p: (
        _short(p, 8)
        and bool(_WIDGET.search(p))
        and (not ends_sentence(p) or bool(re.search(r"subscribe|newsletter|sign up", p, re.I)))
    ),
)

_COOKIE = re.compile(
    r"\bcookies?\b|\btraceurs\b|\bGDPR\b|\bconsentement\b|\bEinwilligung\b|\bconsentimiento\b|"
    r"\bconsenso\b|privacy (?:policy|settings|preferences)|politique de confidentialit",
    re.IGNORECASE,
)
_SITE_USE = re.compile(
    r"\b(?:site|website|browsing|browser|navigat\w*|this page|accept\w*|agree|consent\w*|"
    r"acceptez|akzeptier\w*|aceptar|accett\w*|Webseite|sitio|utilisation)\b",
    re.IGNORECASE,
)

cookie_banners = _drop_when(
    "cookie_banners", lambda p: bool(_COOKIE.search(p)) and bool(_SITE_USE.search(p))
)

# Credits that end a caption: "Photo: AP", "Getty Images", "LUONG THAI LINH/Pool via REUTERS".
_CREDIT_END = re.compile(
    r"(?:\b(?:Photo(?:graph)?|Image|Picture|Credit|Foto)s?(?: by)?\s*[:：]\s*[^.!?]{1,60}"
    r"|\b(?:Getty Images|AFP(?: via Getty Images)?|Reuters|REUTERS|AP Photo[^.]{0,40}|"
    r"EPA(?:-EFE)?|Shutterstock|Bloomberg|Xinhua|Pool|Handout|File Photo)"
    r"|[A-Z][A-Z .'-]+/(?:[A-Za-z ]+ via )?[A-Z][A-Za-z]+)\s*$"
)
_CAPTION_START = re.compile(
    r"^(?:File (?:image|photo|picture) of|FILE PHOTO|Caption:|Photo:)", re.I
)

photo_captions = _drop_when(
    "photo_captions",
    lambda p: (
        (not ends_sentence(p) and bool(_CREDIT_END.search(p)))
        or (bool(_CAPTION_START.match(p)) and _short(p, 40))
    ),
)


# Notices that a saved or archived page carries instead of (or around) the article: the web
# archive's description of its crawls, and what social and video embeds print when they cannot run.
_ARCHIVE_NOTICE = re.compile(
    r"\b(?:Internet Archive|Wayback Machine|Archive-It)\b.{0,300}\bcrawl|\bcrawl.{0,300}"
    r"\b(?:Internet Archive|Wayback Machine)\b|\bWide\d{5}\b|\bNo More 404\b",
    re.IGNORECASE | re.DOTALL,
)
_EMBED_NOTICE = re.compile(
    r"\badd location information to your Tweets\b|\bTweet location history\b|"
    r"\btweet with a location\b|\bMedia playback is unsupported\b|"
    r"\b(?:turn on|enable|requires?) JavaScript\b|\byour browser does not support\b",
    re.IGNORECASE,
)

embed_notices = _drop_when(
    "embed_notices",
    lambda p: _short(p, 80) and bool(_ARCHIVE_NOTICE.search(p) or _EMBED_NOTICE.search(p)),
)

# A web archive's description of one of its crawls, saved where an article was expected (a link
# archived by the Wayback Machine that leads to the collection's own page: "This crawl was run at
# a level 1 ... The WARC files associated with this crawl are not available"). It is told by the
# page as a whole: it names the archive or its tools, and nearly all of it speaks of the crawl
# or its web captures, which a news report about the archive does not (its other paragraphs tell
# the news).
_CRAWL = re.compile(r"\bcrawl(?:s|ed|ers?|ing)?\b|\bweb captures?\b", re.IGNORECASE)
_WEB_ARCHIVE = re.compile(
    r"\b(?:Internet Archive|Wayback Machine|Archive-It|WARC|Heritrix|seed ?list|No More 404)\b",
    re.IGNORECASE,
)
#: Share of a page's words (headings aside) in paragraphs about the crawl: the page is a crawl's.
CRAWL_PAGE_SHARE = 0.8


@rule("archive_pages")
def archive_pages(draft: Draft) -> Draft:
    body = [p for p in draft.paragraphs if not _short(p, 8)]
    if not body or not _WEB_ARCHIVE.search(" ".join(body)):
        return draft
    about_crawl = [p for p in body if _CRAWL.search(p)]
    if _words(about_crawl) < CRAWL_PAGE_SHARE * _words(body):
        return draft
    removed = (*draft.removed, *(Removal("archive_pages", p) for p in draft.paragraphs))
    return replace(draft, paragraphs=(), removed=removed)


# Newsletter and sign-up forms: they ask the reader ("you", "Sign up ...") to subscribe.
_SIGNUP = re.compile(
    r"\bsign(?:ing)? up\b|\bsubscrib\w*|\bnewsletters?\b|\bnot a robot\b|\bmailing list\b",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(?:you|your|you're)\b|^\W*(?:sign up|subscribe)\b|\bsign me up\b", re.I)

signup_forms = _drop_when(
    "signup_forms",
    lambda p: _short(p, 40) and bool(_SIGNUP.search(p)) and bool(_READER.search(p)),
)


# A sign-up form flattened into one long paragraph of a saved page ("Newsletter Sign Up Continue
# reading the main story Please verify you're not a robot ... Thank you for subscribing. An error
# has occurred ... View all New York Times newsletters."): too long for ``signup_forms``, it is
# told by three or more form phrases, one of which no article would write. The lone link line
# "View all New York Times newsletters." goes too.
_FORM_PHRASES = tuple(
    re.compile(phrase, re.IGNORECASE)
    for phrase in (
        r"\bsign(?:ing)? up\b",
        r"\bnewsletters?\b",
        r"\bsubscrib\w*",
        r"\bemail address\b",
        r"\bopt[- ]out\b",
    )
)
_FORM_ONLY = re.compile(
    r"\bnot a robot\b|\binvalid email\b|\bplease re-?enter\b|\bthank you for subscribing\b|"
    r"\ban error has occurred\b|\byou agree to receive\b|\bselect a newsletter\b",
    re.IGNORECASE,
)
_ALL_NEWSLETTERS = re.compile(
    r"^\W*(?:view|see|browse|explore) all\b.{0,60}\bnewsletters\W*$", re.I
)


def _is_signup_block(paragraph: str) -> bool:
    if _ALL_NEWSLETTERS.match(paragraph):
        return True
    form_only = _FORM_ONLY.findall(paragraph)
    found = len({phrase.lower() for phrase in form_only})
    found += sum(bool(phrase.search(paragraph)) for phrase in _FORM_PHRASES)
    return bool(form_only) and found >= 3


signup_blocks = _drop_when("signup_blocks", _is_signup_block)


@rule("repeated_paragraphs")
def repeated_paragraphs(draft: Draft) -> Draft:
    """Drop a paragraph seen before, or one that repeats itself (a caption printed twice)."""
    kept, removed, seen = [], list(draft.removed), set()
    for paragraph in draft.paragraphs:
        key = " ".join(paragraph.lower().split())
        if key in seen or _repeats_itself(paragraph):
            removed.append(Removal("repeated_paragraphs", paragraph))
            continue
        seen.add(key)
        kept.append(paragraph)
    return replace(draft, paragraphs=tuple(kept), removed=tuple(removed))


def _repeats_itself(paragraph: str, run: int = 12) -> bool:
    tokens = paragraph.split()
    seen: set[tuple[str, ...]] = set()
    for start in range(len(tokens) - run + 1):
        shingle = tuple(tokens[start : start + run])
        if shingle in seen:
            return True
        seen.add(shingle)
    return False


_DISCLAIMER = re.compile(
    r"^Disclaimer\b|\bAll rights reserved\b|\bcopyright of this article\b|\brepost(?:ing|ed)? "
    r"(?:of )?this article\b|\bdoes not constitute any investment advice\b|"
    r"\b(?:originally|first) (?:published|appeared) (?:on|in|at)\b|\bviews expressed (?:in|here)\b",
    re.IGNORECASE,
)

disclaimers = _drop_when("disclaimers", lambda p: bool(_DISCLAIMER.search(p)))

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_CONTACT = re.compile(
    r"^To contact\b|\bcontact us\b|^Do you have a (?:story|tip)\b|\bhas (?:contacted|reached out "
    r"to)\b.{0,80}\bfor (?:comment|reaction|their reaction|a response)\b|\bvisit:$",
    re.IGNORECASE,
)
_URL_ONLY = re.compile(r"^(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$")

contact_footers = _drop_when(
    "contact_footers",
    lambda p: (
        bool(_EMAIL.search(p) and _short(p, 40))
        or bool(_CONTACT.search(p))
        or bool(_URL_ONLY.match(p))
    ),
)

_BYLINE = re.compile(
    r"^(?:By [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:\s*(?:[,–—|-]|and|with)\s.*)?$|"
    r"\(?(?:Reporting|Writing|Editing|Additional reporting|Compiled) by\b)"
)

bylines = _drop_when("bylines", lambda p: bool(_BYLINE.match(p)) and _short(p, 30))


# --- Paragraph repair and headings -----------------------------------------------------------------


@rule("rejoin_broken")
def rejoin_broken_paragraphs(draft: Draft) -> Draft:
    """Join a paragraph cut mid-sentence ("... the official newspaper of the" / "Vietnamese ...")."""
    joined: list[str] = []
    for paragraph in draft.paragraphs:
        if joined and _continues(joined[-1], paragraph):
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return replace(draft, paragraphs=tuple(joined))


def _continues(previous: str, following: str) -> bool:
    if ends_sentence(previous) or previous.rstrip().endswith((":", ";")) or _short(previous, 4):
        return False
    last = previous.split()[-1].lower()
    return following[:1].islower() or last in CONNECTORS or previous.rstrip().endswith(",")


@rule("headings")
def headings(draft: Draft) -> Draft:
    """Drop headlines, section labels, bylines of bare names and sub-headings.

    The first heading of four or more words before the body is kept as the headline (metadata),
    unless the article already has a title; a paragraph repeating the title is dropped too.
    """
    kept, removed, title = [], list(draft.removed), draft.title
    title_key = _key(title)
    for paragraph in draft.paragraphs:
        is_heading = (not ends_sentence(paragraph) and _short(paragraph, 20)) or (
            paragraph.rstrip().endswith("?") and _short(paragraph, 4)
        )
        if is_heading and paragraph.rstrip().endswith((":", ",")):
            is_heading = False
        if is_heading or (title_key and _key(paragraph) == title_key):
            if not title and not kept and len(paragraph.split()) >= 4:
                title = paragraph.strip()
                title_key = _key(title)
            removed.append(Removal("headings", paragraph))
        else:
            kept.append(paragraph)
    return Draft(tuple(kept), title, tuple(removed))


def _key(text: str) -> str:
    return " ".join(words(text.lower()))


def _english_share(paragraph: str) -> float:
    tokens = [token.lower() for token in words(paragraph)]
    return sum(token in stop_words() for token in tokens) / max(1, len(tokens))


foreign_language = _drop_when(
    "foreign_language", lambda p: len(p.split()) >= 12 and _english_share(p) < 0.1
)

#: The rules in the order they run; extend by writing a rule and adding it here.
RULES: tuple[Rule, ...] = (
    markdown_syntax,
    breadcrumbs,
    datelines,
    site_widgets,
    cookie_banners,
    photo_captions,
    embed_notices,
    archive_pages,
    signup_forms,
    signup_blocks,
    repeated_paragraphs,
    disclaimers,
    contact_footers,
    bylines,
    rejoin_broken_paragraphs,
    headings,
    foreign_language,
)


def rule_names() -> list[str]:
    names = {function: name for name, function in _REGISTRY.items()}
    return [names[function] for function in RULES]


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Split raw text into paragraphs at blank lines, and at line breaks that end a caption or title.

    A single line break inside a paragraph is kept as a break when the line before it could end a
    sentence or a caption; it is joined when the text runs on (a hard-wrapped paragraph).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if _hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
            continue
        current = lines[0]
        for line in lines[1:]:
            if _continues(current, line):
                current = f"{current} {line}"
            else:
                paragraphs.append(current)
                current = line
        paragraphs.append(current)
    return tuple(paragraphs)


def _hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 3:
        return False
    body = lines[:-1]
    return sum(45 <= len(line) <= 100 for line in body) >= 0.8 * len(body)


#: Boilerplate is never most of an article: a rule that would remove more than this share of the
#: words left has mistaken the article for noise (wire text in one paragraph looks like a repeated
#: or cookie paragraph) and is not applied to it.
MOST = 0.5
#: ... unless so little is left that it may be all noise (a page that is only a cookie banner).
ARTICLE_WORDS = 100
#: Rules whose whole point may be most of the text: an article in another language is refused,
#: and a web archive's page about its crawl is no article at all.
_MAY_REMOVE_MOST = frozenset({foreign_language, archive_pages})


def clean_text(text: str, *, title: str = "", rules: Iterable[Rule] = RULES) -> Cleaned:
    """Run ``rules`` over ``text``; paragraphs of the result are separated by blank lines.

    A rule that would take away most of what is left (``MOST``) is skipped for this text, so
    cleaning never deletes an article.
    """
    draft = Draft(split_paragraphs(text), title=title)
    for step in rules:
        cleaned = step(draft)
        before = _words(draft.paragraphs)
        if (
            step not in _MAY_REMOVE_MOST
            and before >= ARTICLE_WORDS
            and _words(cleaned.paragraphs) < (1 - MOST) * before
        ):
            continue
        draft = cleaned
    return Cleaned("\n\n".join(draft.paragraphs), draft.title, draft.removed)


def _words(paragraphs: Sequence[str]) -> int:
    return sum(map(word_count, paragraphs))


def apply_rule(name: str, text: str) -> Cleaned:
    """Run a single named rule, for tests and for debugging a rule."""
    return clean_text(text, rules=[_REGISTRY[name]])


def clean_article(article: Article) -> Article:
    """The article with boilerplate removed and its headline moved to ``title``."""
    cleaned = clean_text(article.text, title=article.title)
    return replace(article, text=cleaned.text, title=cleaned.title)
