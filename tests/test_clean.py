"""Each cleaning rule on the noise of the seed corpus, and properties of the whole cleaner."""

from __future__ import annotations

import pytest
from conftest import corpus_text
from hypothesis import given, settings
from hypothesis import strategies as st

from multisum.digests.sources import unusable_reason
from multisum.model import Article
from multisum.pipeline.clean import (
    RULES,
    apply_rule,
    clean_article,
    clean_text,
    rule_names,
    split_paragraphs,
)
from multisum.pipeline.ingest import read_articles


def cleaned(name: str) -> str:
    (article,) = [a for a in read_articles([f"corpus/putin-vietnam-2024/{name}.md"])]
    return clean_text(article.text, title=article.title).text


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch, corpus):
    monkeypatch.chdir(corpus.parents[1])


def test_every_rule_is_registered_in_order():
    assert rule_names() == [
        "markdown",
        "breadcrumbs",
        "datelines",
        "site_widgets",
        "cookie_banners",
        "photo_captions",
        "embed_notices",
        "archive_pages",
        "signup_forms",
        "signup_blocks",
        "repeated_paragraphs",
        "disclaimers",
        "contact_footers",
        "bylines",
        "rejoin_broken",
        "headings",
        "foreign_language",
    ]
    assert len(RULES) == len(rule_names())


def test_markdown_unescapes_and_unwraps_and_takes_the_headline():
    result = apply_rule("markdown", "# The headline\n\nTrade reached \\$US5 billion in *Nhân Dân*.")
    assert result.title == "The headline"
    assert result.text == "Trade reached $US5 billion in Nhân Dân."


def test_markdown_links_become_their_text():
    assert apply_rule("markdown", "**[wsws.org/contact](https://wsws.org/contact)**").text == (
        "wsws.org/contact"
    )


def test_breadcrumbs_glued_into_one_line():
    text = "HomeInternational NewsRussian-Ukranian War\n\nPutin visited Hanoi on Thursday."
    assert apply_rule("breadcrumbs", text).text == "Putin visited Hanoi on Thursday."


@pytest.mark.parametrize(
    "header", [" date 2024-06-20 International", "Post At: Jun 20/2024 06:50PM", "24 June 2024"]
)
def test_date_headers_are_dropped(header):
    assert apply_rule("datelines", f"{header}\n\nPutin arrived in Hanoi.").text == (
        "Putin arrived in Hanoi."
    )


def test_dateline_prefix_is_trimmed_from_the_sentence():
    text = "LONDON (AP) _ An influential lawmaker backed Spanish requests on Saturday."
    assert (
        apply_rule("datelines", text).text
        == "An influential lawmaker backed Spanish requests on Saturday."
    )


@pytest.mark.parametrize(
    "widget",
    ["Print Friendly, PDF & Email", "Translate / Dịch", "Subscribe to our newsletter", "COMMENTS"],
)
def test_site_widgets(widget):
    assert apply_rule("site_widgets", f"Putin arrived in Hanoi.\n\n{widget}").text == (
        "Putin arrived in Hanoi."
    )


def test_a_sentence_that_mentions_email_is_not_a_widget():
    sentence = "Officials said the leaked email showed the deal had been agreed weeks earlier."
    assert apply_rule("site_widgets", sentence).text == sentence


def test_french_cookie_banner_from_the_guardian_repost():
    text = corpus_text("guardian")
    assert "traceurs" in text
    assert "traceurs" not in cleaned("guardian")
    assert "Accepter" not in cleaned("guardian")


@pytest.mark.parametrize(
    "banner",
    [
        "We use cookies to improve your experience on our website. By continuing you agree.",
        "Wir verwenden Cookies, um unsere Webseite zu verbessern. Mit der Nutzung akzeptieren Sie.",
        "Utilizamos cookies propias y de terceros. Al navegar por este sitio acepta su uso.",
    ],
)
def test_cookie_banners_in_several_languages(banner):
    assert apply_rule("cookie_banners", f"Putin arrived.\n\n{banner}").text == "Putin arrived."


def test_photo_caption_glued_to_the_first_sentence_is_split_off():
    result = cleaned("ap")
    assert "Photo: AP" not in result
    assert "File image of" not in result
    assert "Russian President Vladimir Putin is seeking to strengthen ties" in result


def test_photo_credits_and_repeated_captions():
    assert "LUONG THAI LINH" not in cleaned("reuters")
    newsweek = cleaned("newsweek")
    assert "Getty Images" not in newsweek
    assert "(R) and Vietnamese President To Lam (L)" not in newsweek


def test_a_caption_printed_twice_in_one_paragraph_is_dropped():
    caption = (
        "Leaders attend a welcoming ceremony on June 20, 2024 in Hanoi, Vietnam, during the visit."
    )
    text = f"{caption} {caption}"
    assert apply_rule("repeated_paragraphs", text).text == ""


def test_reposting_disclaimer_and_contact_footers():
    newsweek = cleaned("newsweek")
    assert "Disclaimer" not in newsweek
    assert "LiveNews@newsweek.com" not in newsweek
    assert "Newsweek has contacted" not in newsweek
    assert "To contact the" not in cleaned("wsws")
    assert "wsws.org/contact" not in cleaned("wsws")


def test_byline_footer_is_dropped():
    assert "Rebecca Ratcliffe" not in cleaned("guardian")


def test_paragraphs_broken_mid_sentence_are_rejoined():
    text = cleaned("wsws")
    assert (
        "around the Second Thomas Shoal in the South China Sea, encounters fueled by Washington."
        in text
    )
    assert "the official newspaper of the Vietnamese Communist Party, which declared:" in text


def test_headline_section_labels_and_subheadings_are_not_sentences():
    newsweek = cleaned("newsweek")
    for heading in (
        "Putin Strikes New Deal on Asia Tour",
        "What was Discussed?",
        "What this means?",
    ):
        assert heading not in newsweek
    assert "Russia's Relationship with Vietnam" not in newsweek.split("\n\n")


def test_headline_becomes_the_title_when_none_is_given():
    raw = corpus_text("reuters").split("---\n", 2)[2]
    result = clean_text(raw)
    assert result.title == "Visiting Vietnam, Putin seeks new ‘security architecture’ for Asia"
    assert not result.text.startswith("Visiting Vietnam")


def test_hard_wrapped_paragraphs_are_joined():
    text = (
        "The ministry said on Monday that the talks between the two delegations\n"
        "would resume next week in Geneva, where both sides hope to agree on a\n"
        "framework for the release of prisoners held since the start of the war.\n"
    )
    assert len(split_paragraphs(text)) == 1


_prose = st.lists(
    st.sampled_from(
        [
            "Putin arrived in Hanoi on Thursday.",
            "The two sides signed 11 agreements.",
            "Trade reached $3.6 billion in 2023, officials said.",
            "Subscribe to our newsletter",
            "Photo: AP",
            "HomeWorld",
            "the South China Sea",
            "Getty Images",
            "“No country should give Putin a platform,” the embassy said.",
        ]
    ),
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(_prose, st.sampled_from(["\n", "\n\n", " "]))
def test_cleaning_never_invents_text(paragraphs, separator):
    source = separator.join(paragraphs)
    result = clean_text(source)
    source_words = set(source.replace("\n", " ").split())
    assert set(result.text.replace("\n", " ").split()) <= source_words


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_cleaning_never_crashes(text):
    clean_text(text)


def test_real_sentences_survive_cleaning():
    text = "Putin arrived in Hanoi on Thursday.\n\nThe two sides signed 11 agreements on energy."
    assert clean_text(text).text == text


def test_a_paragraph_in_another_language_is_dropped():
    french = (
        "Le président russe est arrivé à Hanoï jeudi pour une visite d'État de deux jours, "
        "selon les médias officiels du pays."
    )
    assert apply_rule(
        "foreign_language", f"Putin arrived in Hanoi on Thursday.\n\n{french}"
    ).text == ("Putin arrived in Hanoi on Thursday.")


@pytest.mark.parametrize(
    "byline", ["By Ben McGrath", "Reporting by Francesco Guarascio; Editing by Ed Davies"]
)
def test_bylines(byline):
    assert apply_rule("bylines", f"{byline}\n\nPutin arrived in Hanoi.").text == (
        "Putin arrived in Hanoi."
    )


@pytest.mark.parametrize(
    "notice",
    [
        "Since 2001 this crawl of news front pages has been given to the Internet Archive, where "
        "its captures join the Wayback Machine after a delay.",
        "You can add location information to your Tweets, such as your city, from the web.",
        "Media playback is unsupported on your device Media caption The minister speaking on Friday",
        "Please turn on JavaScript. Media requires JavaScript to play.",
    ],
)
def test_archive_and_embed_notices_are_dropped(notice):
    cleaned = apply_rule("embed_notices", f"{notice}\n\nThe port reopened on Monday.")
    assert cleaned.text == "The port reopened on Monday."


#: A web archive's page about one of its crawls, as a link archived by the Wayback Machine saves
#: it in place of the article it once led to (written for this test, after such pages).
CRAWL_PAGE = (
    "About this crawl\n\n"
    "This crawl of news sites was started in May 2017 from a seed list of 40,000 front pages and "
    "the links they carried, and it was run again every six hours.\n\n"
    "The crawler respected robots.txt and captured each page with its images and scripts. The "
    "WARC files of this crawl are not available to the general public.\n\n"
    "Captures from the crawl join the Wayback Machine after a delay of about six months, where "
    "anyone can look up a page by its address."
)


def test_a_web_archive_page_about_its_crawl_is_no_article():
    cleaned = clean_text(CRAWL_PAGE)
    assert cleaned.text == ""
    assert "archive_pages" in {removal.rule for removal in cleaned.removed}
    page = Article(id="crawl", text=CRAWL_PAGE, outlet="web.archive.org")
    assert unusable_reason(page, clean_article(page)).startswith("no article text")


def test_news_about_a_web_archive_and_its_crawls_is_kept():
    report = (
        "The Internet Archive said on Tuesday that its Wayback Machine had saved its trillionth "
        "web page, 25 years after its first crawl of the web.\n\n"
        "The San Francisco nonprofit, which lost a copyright case brought by four publishers last "
        "year, said its budget came mostly from donations and from libraries that pay it to keep "
        "their collections.\n\n"
        "Its founder, Brewster Kahle, said the archive would open a second data centre in Canada "
        "to keep a copy of everything it holds out of the reach of any one government."
    )
    assert apply_rule("archive_pages", report).text == report


@pytest.mark.parametrize(
    "form",
    [
        "Sign up for our morning newsletter and get the day's top stories in your inbox.",
        "Email Sign Up By signing up you agree to receive email newsletters. You can unsubscribe.",
        "Want more stories like this? Sign up for our newsletter: sign me up",
    ],
)
def test_signup_forms_are_dropped(form):
    assert apply_rule("signup_forms", form).text == ""


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        (
            "embed_notices",
            "The Internet Archive lost its appeal against four publishers on Friday.",
        ),
        ("signup_forms", "Subscribers to the service will pay two dollars more a month, it said."),
        ("signup_forms", "You could hear the crowd from the harbour, a resident said."),
    ],
)
def test_news_about_archives_or_subscriptions_is_kept(rule, sentence):
    assert apply_rule(rule, sentence).text == sentence


#: A New York Times sign-up form as a saved page flattens it into the article's text.
NYT_SIGNUP_FORM = (
    "Newsletter Sign Up Continue reading the main story Please verify you're not a robot by "
    "clicking the box. Invalid email address. Please re-enter. You must select a newsletter to "
    "subscribe to. Sign Up You agree to receive occasional updates and special offers for The "
    "New York Times's products and services. Thank you for subscribing. An error has occurred. "
    "Please try again later. View all New York Times newsletters."
)


@pytest.mark.parametrize(
    "furniture", [NYT_SIGNUP_FORM, "View all New York Times newsletters.", "See all newsletters"]
)
def test_signup_blocks_are_dropped(furniture):
    text = f"The council approved the bridge.\n\n{furniture}\n\nWork starts in May."
    assert apply_rule("signup_blocks", text).text == (
        "The council approved the bridge.\n\nWork starts in May."
    )
    assert furniture not in clean_text(text).text


@pytest.mark.parametrize(
    "sentence",
    [
        "Readers who sign up for the newsletter can opt out at any time, the company said.",
        "An error has occurred in the count, the election board said, and 400 ballots were added.",
        "He asked viewers to subscribe and said they could view all the documents online.",
    ],
)
def test_news_about_newsletters_is_kept(sentence):
    assert apply_rule("signup_blocks", sentence).text == sentence


@pytest.mark.parametrize("name", ["ap", "guardian", "reuters"])
def test_cleaning_never_deletes_an_article_delivered_as_one_paragraph(name):
    """Wire text often comes without blank lines (DUC, many feeds): one paragraph that repeats a
    phrase and mentions cookies must not be taken for a caption printed twice or a banner."""
    body = " ".join(cleaned(name).split())
    repeated = " ".join(body.split()[:14])
    text = f"{body} We use cookies on this site, the agency said. {repeated} again."
    kept = clean_text(text).text
    assert len(kept.split()) >= len(body.split())
    assert body in kept


def test_a_page_of_nothing_but_a_banner_is_still_cleaned_away():
    banner = "We use cookies to improve your experience. Accept all cookies or manage settings."
    assert clean_text(banner).text == ""
