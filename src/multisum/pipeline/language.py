"""Tell whether an article is in English, and if not, say what was found instead.

Cleaning, splitting and ranking are built for English. An article in another language used to come
out of cleaning empty and was reported as "no usable text", which told the user nothing; this
module names the script (Cyrillic, Arabic, Chinese ...) or says that the words are not English.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from multisum.text import stop_words, words

#: Share of the letters that must be Latin for a text to be English.
MIN_LATIN_SHARE = 0.5
#: Share of English function words below which Latin-script text is another language (the
#: digest's threshold: English prose runs at 40 to 50 per cent, Spanish or German near zero).
MIN_ENGLISH_SHARE = 0.12
#: Words a text needs before its share of function words tells anything.
MIN_WORDS = 30
#: Characters looked at; enough to tell, and a huge file costs no more than a small one.
SAMPLE = 20_000
#: Share of the letters in Japanese kana that makes Han characters Japanese rather than Chinese.
KANA_SHARE = 0.1

_SCRIPT_NAMES = {"CJK": "Chinese", "HANGUL": "Korean", "KANA": "Japanese"}


@lru_cache(maxsize=4096)
def _script(character: str) -> str:
    """The script of a letter as Unicode names it: LATIN, CYRILLIC, ARABIC, CJK, HANGUL ..."""
    name = unicodedata.name(character, "")
    first = name.split(" ", 1)[0]
    return "KANA" if first in ("HIRAGANA", "KATAKANA") else first


def script_shares(text: str) -> Counter[str]:
    """How many letters of (the start of) ``text`` each script has."""
    return Counter(_script(c) for c in text[:SAMPLE] if c.isalpha())


def language_problem(text: str) -> str:
    """Why ``text`` is not an English article ("not in English (Cyrillic script)"), or ``""``.

    A text without letters, or too short to judge, is left to the later stages (no usable text).
    """
    scripts = script_shares(text)
    letters = sum(scripts.values())
    if not letters:
        return ""
    if scripts["LATIN"] < MIN_LATIN_SHARE * letters:
        if scripts["KANA"] >= KANA_SHARE * letters:
            script = "KANA"
        else:
            script = max(
                (name for name in scripts if name != "LATIN"), key=lambda n: (scripts[n], n)
            )
        named = _SCRIPT_NAMES.get(script, script.title() or "an unknown")
        return f"not in English ({named} script); multisum summarises English articles"
    tokens = words(text[:SAMPLE])
    if len(tokens) >= MIN_WORDS:
        stops = stop_words()
        share = sum(token.lower() in stops for token in tokens) / len(tokens)
        if share < MIN_ENGLISH_SHARE:
            return "not in English (too few English words); multisum summarises English articles"
    return ""
