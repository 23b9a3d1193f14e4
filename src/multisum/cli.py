"""The ``multisum`` command: a thin layer that parses flags, calls the library and prints.

Option blocks shared by several commands are decorators (``ranker_options``); every library error
reaches the user through one handler (``_Commands.invoke``) as one line and exit status 1, or 2
for a bad option value (a usage error, as click gives for a flag it refuses itself).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from multisum.errors import MultisumError, NothingReadError, OptionsError, OutputError
from multisum.options import (
    DEFAULT_ALGORITHM,
    DEFAULT_EXCLUSIVES,
    DEFAULT_MAX_ARTICLE_SIZE,
    DEFAULT_MAX_MB,
    DEFAULT_OUT,
    DEFAULT_QUOTES,
    DEFAULT_RETRIES,
    DEFAULT_STATE,
    DEFAULT_TIMEOUT,
    DEFAULT_WORDS,
    FORMATS,
    format_size,
    parse_size,
)

if TYPE_CHECKING:
    from multisum.model import Skipped

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class _Commands(click.Group):
    """Every ``MultisumError`` becomes one line on standard error and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OptionsError as error:
            raise click.UsageError(str(error)) from None
        except MultisumError as error:
            raise click.ClickException(str(error)) from None


def _stack(*decorators: Decorator) -> Decorator:
    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def ranker_options(*, words: int = DEFAULT_WORDS, several: bool = False) -> Decorator:
    """``--algorithm`` and ``--words``, as brief, digest and evaluate all take them."""
    algorithm = (
        click.option(
            "--algorithm",
            "-a",
            "algorithms",
            multiple=True,
            default=[DEFAULT_ALGORITHM],
            show_default=True,
            metavar="NAME|all",
            help="Algorithm to score (repeatable); `all` scores every registered one.",
        )
        if several
        else click.option(
            "--algorithm",
            "-a",
            default=DEFAULT_ALGORITHM,
            show_default=True,
            metavar="NAME",
            help="Ranking algorithm; `multisum algorithms` lists them.",
        )
    )
    budget = click.option(
        "--words",
        "-w",
        type=click.IntRange(min=1),
        default=words,
        show_default=True,
        help="Budget in words.",
    )
    return _stack(algorithm, budget)


def briefing_options() -> Decorator:
    """The rest of ``Options``: one flag per field."""
    return _stack(
        click.option(
            "--sentences",
            "-s",
            type=click.IntRange(min=1),
            default=None,
            help="Budget in lines instead of words.",
        ),
        click.option(
            "--topics",
            "-t",
            type=click.IntRange(min=1),
            default=None,
            help="Number of topic sections (default: chosen from the articles).",
        ),
        click.option(
            "--spacy-model",
            default=None,
            metavar="NAME",
            help="An installed trained spaCy pipeline (e.g. en_core_web_sm) to split sentences with.",
        ),
        click.option(
            "--quotes",
            type=click.IntRange(min=0),
            default=DEFAULT_QUOTES,
            show_default=True,
            help="Quotations carried by one outlet only to show (0: none).",
        ),
        click.option(
            "--exclusives",
            type=click.IntRange(min=0),
            default=DEFAULT_EXCLUSIVES,
            show_default=True,
            help='"Only in" facts to show per outlet (0: none).',
        ),
        max_article_size_option("a file, or one line of a JSON-lines file"),
    )


def max_article_size_option(articles: str) -> Decorator:
    """``--max-article-size``, for ``brief`` and ``digest``: ``articles`` says what an article is."""
    return click.option(
        "--max-article-size",
        type=_Size(),
        default=DEFAULT_MAX_ARTICLE_SIZE,
        show_default=format_size(DEFAULT_MAX_ARTICLE_SIZE),
        metavar="SIZE",
        help=f"Skip an article ({articles}) larger than this (bytes, or 500k, 2MB).",
    )


class _Size(click.ParamType):
    """A size in bytes as people write it (``500k``, ``2MB``), read by ``options.parse_size``."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except OptionsError as error:
            self.fail(str(error), param, ctx)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="multisum")
def cli() -> None:
    """Turn many news articles about one story into one short briefing where every line names the
    outlets that reported it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the briefing to this file instead of standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="markdown",
    show_default=True,
    help="Markdown for reading, JSON for tools (and `multisum verify`), HTML for a browser.",
)
@ranker_options()
@briefing_options()
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A Jinja2 template to render the Markdown or HTML briefing with (run sandboxed; "
    "autoescaped for HTML). JSON is data and takes no template.",
)
def brief(
    paths: tuple[str, ...],
    output: Path | None,
    output_format: str,
    template: Path | None,
    **options: Any,
) -> None:
    """Summarise the articles in PATHS (files or folders of .md, .txt or .jsonl) as one briefing.

    A file that cannot be used (binary, not UTF-8, too large, not in English, a briefing multisum
    wrote) is skipped with a warning; only when no usable article is left is it an error. -o
    refuses to overwrite an input article, and replaces any other file whole (same permissions,
    through a symbolic link); a briefing written there before is never read as an article.
    """
    from multisum.pipeline import summarize
    from multisum.pipeline.ingest import check_output_path
    from multisum.render import render_html, render_json, render_markdown, write_atomically
    from multisum.text import strip_controls

    if template is not None and output_format == "json":
        raise click.BadOptionUsage(
            "template",
            "--template renders Markdown or HTML; a JSON briefing is data, written as it is "
            "(drop --template, or choose --format markdown or html)",
        )
    if output is not None:
        try:
            check_output_path(output, paths)
        except OutputError as error:
            raise click.BadParameter(str(error), param_hint="'-o' / '--output'") from None
    with warnings.catch_warnings(record=True) as caught:
        # a slow ranker's cap (a RuntimeWarning) is a notice to the user, not a Python warning
        warnings.simplefilter("always", RuntimeWarning)
        briefing = summarize(list(paths), exclude=[output] if output else (), **options)
    for message in dict.fromkeys(str(warning.message) for warning in caught):
        click.echo(f"multisum: {strip_controls(message)}", err=True)
    if output_format == "json":
        text = render_json(briefing)
    elif output_format == "html":
        text = render_html(briefing, template=template)
    else:
        text = render_markdown(briefing, template=template)
    for note in briefing.notes:  # a file name may hold what the articles' text may not
        click.echo(f"multisum: {strip_controls(note)}", err=True)
    if output is None:
        click.echo(strip_controls(text), nl=False)  # nothing a terminal acts on reaches it
    else:
        write_atomically(output, text)
        click.echo(f"multisum: wrote {output}", err=True)


@cli.command()
@click.argument("briefing", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
def verify(briefing: Path, paths: tuple[str, ...]) -> None:
    """Check everything a JSON BRIEFING shows against its articles.

    Every line, quote, figure and "only in" fact must be verbatim at its source's offsets; outlet
    names, titles, dates and links, each line's "N of M outlets", each quote's speaker, each
    disagreement's figures and labels and each "only in" claim must follow from the articles;
    each line must be a whole sentence of its sources, not a fragment. The notes are not
    re-derived: each is listed as NOT VERIFIED. A file that breaks the briefing's JSON Schema is
    one message naming where. The articles are re-read from the paths stored in the briefing, or
    from PATHS when given.
    """
    from multisum.text import strip_controls
    from multisum.verify import verify_file

    report = verify_file(briefing, list(paths))
    # A failure quotes the briefing's own text, which anyone may have edited: never a terminal's.
    for failure in report.failures:
        click.echo(f"multisum: FAILED {strip_controls(failure)}", err=True)
    for item in report.unverified:
        click.echo(f"multisum: NOT VERIFIED {strip_controls(item)}", err=True)
    unverified = (
        f"; {len(report.unverified)} note{'s' if len(report.unverified) != 1 else ''} not "
        "verifiable (listed above)"
        if report.unverified
        else ""
    )
    if report.failures:
        raise click.ClickException(
            f"{len(report.failures)} of {report.checked} claims do not match their "
            f"articles{unverified}"
        )
    click.echo(f"verified {report.checked} claims against {report.articles} articles{unverified}")


@cli.command()
def algorithms() -> None:
    """List the ranking algorithms that --algorithm accepts."""
    from multisum.rankers import available_rankers

    rankers = available_rankers()
    width = max(len(r.name) for r in rankers)
    for r in rankers:
        marker = " (default)" if r.name == DEFAULT_ALGORITHM else ""
        click.echo(f"{r.name.ljust(width)}  {r.description}{marker}")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--state",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STATE,
    show_default=True,
    help="Folder of the digest's memory: articles seen, stories, run log.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Folder to write YYYY-MM-DD.md (and .json, .html) into.",
)
@click.option(
    "--date", "day", default=None, metavar="YYYY-MM-DD", help="Digest date (default: today)."
)
@click.option(
    "--since",
    default=None,
    metavar="WHEN",
    help="Skip articles published before a date or a span back from --date (2d, 12h; at most "
    "10 years).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    default=("markdown",),
    show_default=True,
    help="Output format; repeat for several.",
)
@ranker_options()
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for another run on the same state before giving up.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds a URL fetch may take in all (connecting, redirects, the whole answer), per try.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=DEFAULT_RETRIES,
    show_default=True,
    help="Tries after the first for a failure that may pass (timeout, HTTP 5xx/429, cut short).",
)
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MAX_MB,
    show_default=True,
    metavar="MB",
    help="Largest file or URL answer read as a source; bigger ones are skipped.",
)
@max_article_size_option("a file, a feed item, a page or one JSON line")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Fetch URLs (and follow redirects) to loopback, link-local and private addresses, "
    "refused by default so that a feed cannot make the digest read this machine's or its "
    "network's services.",
)
@click.option(
    "--recover",
    is_flag=True,
    help="If the state is damaged, keep it aside and go on from its last good copy "
    "(or a new state when there is none).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Prepare articles and brief stories on a local Dask cluster of N processes "
    "(the [dask] extra); the digest is the same.",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Prepare articles and brief stories on the Dask cluster at ADDRESS "
    "(tcp://host:port); state and outputs stay here.",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Name every skipped item on standard error, not a summary per reason.",
)
def digest(
    sources: tuple[str, ...],
    state: Path,
    out: Path,
    day: str | None,
    since: str | None,
    formats: tuple[str, ...],
    algorithm: str,
    words: int,
    wait: float,
    timeout: float,
    retries: int,
    max_mb: float,
    max_article_size: int,
    allow_private: bool,
    recover: bool,
    workers: int | None,
    scheduler: str | None,
    verbose: bool,
) -> None:
    """Write a dated digest of the new articles in SOURCES: folders, RSS/Atom feeds, HTML pages or URLs.

    A source or item that cannot be read is skipped and named on standard error; the run goes
    on. With more than a few skips, one line per reason sums them up (--verbose names each).

    \b
    Exit status, for cron:
      0  the digest was written, or there was nothing new (even with skips)
      1  nothing could be read: every source is missing or failed; or the run
         could not go ahead (the state is damaged or busy, a file cannot be written)
      2  a usage error: an unknown flag, a bad --date, --since or --format,
         a --date before the state's latest digest, --workers or --scheduler
         without the [dask] extra
    """
    from multisum.digests import digest as build

    try:
        with _ProgressBar() as progress:
            result = build(
                list(sources),
                state=state,
                out=out,
                date=day,
                since=since,
                formats=formats,
                algorithm=algorithm,
                words=words,
                wait=wait,
                timeout=timeout,
                retries=retries,
                max_mb=max_mb,
                max_article_size=max_article_size,
                allow_private=allow_private,
                recover=recover,
                workers=workers or 0,
                scheduler=scheduler,
                progress=progress,
            )
    except NothingReadError as error:
        _report_skips(error.skipped, verbose=verbose)
        raise
    _report_skips(result.skipped, verbose=verbose)
    for note in result.notes:
        click.echo(f"multisum: {note}", err=True)
    counts = result.counts
    summary = f"{counts['read']} read, {counts['new']} new, {counts['skipped']} skipped"
    if not result.files:
        click.echo(f"multisum: nothing new ({summary}); wrote nothing", err=True)
        return
    stories = counts["stories"]
    click.echo(f"multisum: {summary}, {stories} stor{'y' if stories == 1 else 'ies'}", err=True)
    for path in result.files:
        click.echo(f"multisum: wrote {path}", err=True)


def _report_skips(skipped: Sequence[Skipped], *, verbose: bool) -> None:
    """Each skip on its own line when there are few (or with --verbose), else one per reason."""
    from multisum.render.digest import LISTED_SKIPS, summarize_skips

    if verbose or len(skipped) <= LISTED_SKIPS:
        for item in skipped:
            click.echo(f"multisum: warning: skipped {item.source}: {item.reason}", err=True)
        return
    for group in summarize_skips(skipped):
        if group.count == 1:
            click.echo(f"multisum: warning: skipped {group.examples[0]}: {group.reason}", err=True)
            continue
        more = " and others" if group.count > len(group.examples) else ""
        click.echo(
            f"multisum: warning: skipped {group.count} × {group.reason} "
            f"(e.g. {'; '.join(group.examples)}{more})",
            err=True,
        )
    click.echo(
        f"multisum: {len(skipped)} skipped in all; --verbose names each one "
        "(the JSON digest lists them too)",
        err=True,
    )


#: The stages that show a progress bar on a terminal, and its label.
_STAGE_LABELS = {"articles": "preparing articles", "stories": "briefing stories"}


class _ProgressBar:
    """A progress bar on standard error for each long stage, shown only on a terminal."""

    def __init__(self) -> None:
        self._bar = None
        self._stage = ""
        self._done = 0

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in _STAGE_LABELS or total < 5 or not sys.stderr.isatty():
            return
        if stage != self._stage or done < self._done:
            self._close()
            self._bar = click.progressbar(length=total, label=_STAGE_LABELS[stage], file=sys.stderr)
            self._bar.__enter__()
            self._stage, self._done = stage, 0
        self._bar.update(done - self._done)
        self._done = done

    def _close(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*(exc_info or (None, None, None)))
            self._bar = None

    def __exit__(self, *exc_info: object) -> None:
        self._close(*exc_info)


@cli.command()
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ranker_options(words=100, several=True)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Also write the results as JSON to this file.",
)
def evaluate(
    dataset: Path, algorithms: tuple[str, ...], words: int, json_path: Path | None
) -> None:
    """Score algorithms with ROUGE recall on DATASET (JSON lines: one cluster with references each)."""
    from multisum.evaluation import algorithm_names, read_clusters
    from multisum.evaluation import evaluate as run_evaluation

    names = algorithm_names(algorithms)
    total = len(read_clusters(dataset)) * (len(names) + 2)
    with click.progressbar(
        length=total, label="Summarising", file=sys.stderr, show_pos=True
    ) as bar:
        result = run_evaluation(dataset, algorithms=names, words=words, progress=bar.update)
    for note in result.notes:
        click.echo(f"multisum: {note}", err=True)
    click.echo(result.to_table(), nl=False)
    if json_path is not None:
        from multisum.render import write_atomically

        write_atomically(json_path, result.to_json())
        click.echo(f"multisum: wrote {json_path}", err=True)


def main() -> None:
    try:
        cli(prog_name="multisum")
    except KeyboardInterrupt:
        click.echo("multisum: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
