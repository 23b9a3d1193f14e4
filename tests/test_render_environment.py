"""The one Jinja2 environment: safe links, a sandbox for user templates, whole files on disk."""

from __future__ import annotations

import os
import stat

import pytest

from multisum.errors import OutputError, TemplateError
from multisum.render import render_markdown, write_atomically
from multisum.render.environment import environment, safe_url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " JaVaScRiPt:alert(1)",
        "\tjavascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "https://x/>)[pwn](javascript:alert(1))",
        'https://x/" onmouseover="alert(1)',
        "https://x/\njavascript:alert(1)",
        "//evil.example/x",
        "ftp://files.example/x",
        "",
        None,
    ],
)
def test_safe_url_refuses_anything_but_plain_http(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://apnews.com/article/russia-vietnam-putin-visit",
        "http://example.com/a?b=1&c=2#d",
        "HTTPS://EXAMPLE.COM/",
    ],
)
def test_safe_url_keeps_plain_http_links(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ briefing.__class__.__init__.__globals__ }}",
        "{% for line in outlets %}{{ line.__class__ }}{% endfor %}",
    ],
)
def test_a_user_template_runs_in_the_sandbox(corpus_briefing, tmp_path, source):
    template = tmp_path / "evil.md.j2"
    template.write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError, match="template"):
        render_markdown(corpus_briefing, template=template)


def test_a_harmless_user_template_renders(corpus_briefing, tmp_path):
    template = tmp_path / "plain.md.j2"
    template.write_text(
        "# {{ briefing.title | md }}\n{% for s in briefing.sections %}{% for line in s.lines %}"
        "- {{ line.text | md }} ({{ line.outlets | join(', ') }})\n{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    text = render_markdown(corpus_briefing, template=template)
    assert text.startswith(f"# {corpus_briefing.title}\n")
    assert text.count("\n- ") == len(corpus_briefing.lines)


def test_a_missing_field_fails_loudly(corpus_briefing, tmp_path):
    template = tmp_path / "typo.md.j2"
    template.write_text("{{ briefing.titel }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="titel"):
        render_markdown(corpus_briefing, template=template)


def test_the_sandbox_is_only_for_user_templates():
    from jinja2.sandbox import SandboxedEnvironment

    assert isinstance(environment(sandboxed=True), SandboxedEnvironment)
    assert not isinstance(environment(), SandboxedEnvironment)
    assert environment(html=True).autoescape is True
    assert environment().autoescape is False


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_write_atomically_gives_the_mode_a_new_file_gets(tmp_path, umask_022):
    target = tmp_path / "out" / "briefing.md"
    write_atomically(target, "# Briefing\n")
    assert target.read_text(encoding="utf-8") == "# Briefing\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~0o022 == 0o644
    write_atomically(target, "# Again\n")  # replacing keeps the same rule
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["briefing.md"]


def test_write_atomically_follows_a_stricter_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        write_atomically(tmp_path / "private.md", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "private.md").stat().st_mode) == 0o600


def test_write_atomically_leaves_no_temporary_file_after_an_error(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomically(target, "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_replacing_a_file_keeps_its_permissions_and_its_symbolic_link(tmp_path, umask_022):
    """What a user expects of `-o FILE` over an existing file: what `> FILE` would keep."""
    shared = tmp_path / "site" / "today.md"
    shared.parent.mkdir()
    shared.write_text("yesterday\n", encoding="utf-8")
    shared.chmod(0o640)
    link = tmp_path / "briefing.md"
    link.symlink_to(shared)
    write_atomically(link, "# Today\n")
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert shared.read_text(encoding="utf-8") == "# Today\n"
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
    assert sorted(p.name for p in shared.parent.iterdir()) == ["today.md"]


def test_a_user_html_template_is_sandboxed_and_autoescaped(hostile_briefing, tmp_path):
    from multisum.render import render_html

    template = tmp_path / "page.html.j2"
    template.write_text(
        '<meta http-equiv="Content-Security-Policy" content="{{ content_security_policy }}">\n'
        "{% for article in briefing.articles %}<h2>{{ article.outlet_name }}: {{ article.title }}"
        "</h2>\n{% endfor %}{% for s in briefing.sections %}{% for line in s.lines %}"
        "<p>{{ line.text }}</p>\n{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    page = render_html(hostile_briefing, template=template)
    assert "Evil | Outlet &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in page
    assert "<script" not in page and "<b>" not in page and "<img" not in page
    assert "default-src 'none'" in page
    template.write_text("{{ briefing.__class__.__init__.__globals__ }}", encoding="utf-8")
    with pytest.raises(TemplateError, match="unsafe"):
        render_html(hostile_briefing, template=template)


def test_write_atomically_writes_into_a_pipe_through_dev_fd():
    """`-o /dev/stdout` into a pipe: /dev/stdout is a link to `pipe:[...]`, no path to rename to."""
    read_end, write_end = os.pipe()
    try:
        write_atomically(f"/dev/fd/{write_end}", "the briefing\n")
        os.close(write_end)
        write_end = -1
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1
            assert pipe.read() == b"the briefing\n"
    finally:
        for end in (read_end, write_end):
            if end >= 0:
                os.close(end)


def test_write_atomically_keeps_a_named_pipe_a_pipe(tmp_path):
    import threading

    fifo = tmp_path / "briefing.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomically(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.fifo"]  # no temporary file


def test_write_atomically_keeps_a_device_node_a_device(tmp_path):
    """`-o /dev/null` run as root replaced the device with a regular file. Tested on a private
    copy of /dev/null's node (mknod needs root), never on the machine's own /dev/null."""
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    write_atomically(null, "discarded")
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('{{ "x" * 2000000000 }}', "repeating a value would make a value of 2,000,000,000"),
        ("{{ [1] * 2000000000 }}", "repeating a value would make a value of 2,000,000,000"),
        ("{{ 2 ** 2000000000 }}", "a power would make a value of 602,060,001"),
        ('{{ "x" | center(2000000000) }}', "calling do_center would make a value of"),
        ('{{ "x".ljust(2000000000) }}', "calling ljust would make a value of"),
        ('{{ "%2000000000s" % "x" }}', "a format width would make a value of 2,000,000,000"),
        ('{{ "{:>2000000000}".format(1) }}', "a format width would make a value of"),
        ('{{ "%2000000000s" | format("x") }}', "a format width would make a value of"),
        ('{{ "%*d" % (2000000000, 1) }}', "a format width would make a value of 2,000,000,000"),
        ('{{ "%.*f" % (2000000000, 1.5) }}', "a format width would make a value of"),
        ('{{ "{:{w}}".format(1, w=2000000000) }}', "a format width would make a value of"),
        ('{{ "{:>{}}".format(1, 2000000000) }}', "a format width would make a value of"),
        ('{{ "{x:{w}}".format_map({"x": 1, "w": 2000000000}) }}', "a format width would make"),
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
            "its loops took more than 1,000,000 steps in all",
        ),
        (
            '{% set s = "x" * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}',
            "its loops took more than 1,000,000 steps in all",
        ),
        (
            '{% for a in range(20000) %}{{ "x" * 1000 }}{% endfor %}',
            "it wrote more than 10,000,000 characters, the most a template may write",
        ),
        (
            "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
            "it recursed too deeply (a macro calling itself?)",
        ),
    ],
)
def test_a_user_template_is_bounded_and_fails_in_one_line(tmp_path, source, problem):
    """Jinja's sandbox stops escapes, not exhaustion: a MemoryError traceback, or a run that
    never ends. Each is now one TemplateError, within seconds."""
    import time

    from multisum.model import Briefing

    template = tmp_path / "greedy.md.j2"
    template.write_text(source, encoding="utf-8")
    briefing = Briefing(title="T", articles=(), sections=(), algorithm="multisum")
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render_markdown(briefing, template=template)
    assert time.monotonic() - started < 20
    message = str(caught.value)
    assert "\n" not in message and message.startswith("the ")
    assert problem in message


def test_a_template_cannot_take_the_loop_counter_for_itself(tmp_path):
    template = tmp_path / "sly.md.j2"
    template.write_text("{% set __multisum_loop_budget = range %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="is a name multisum keeps"):
        render_markdown(None, template=template)


def test_the_cli_reports_a_greedy_template_in_one_line(tmp_path, corpus):
    from click.testing import CliRunner

    from multisum.cli import cli

    template = tmp_path / "greedy.md.j2"
    template.write_text('{{ "x" * 2000000000 }}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["brief", str(corpus), "--template", str(template)])
    assert result.exit_code == 1
    (error,) = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert "repeating a value would make a value of 2,000,000,000 characters or items" in error
    assert not isinstance(result.exception, MemoryError)


def test_loops_of_an_imported_template_count_against_the_same_budget(tmp_path, monkeypatch):
    """A macro imported from another template has a context of its own; its loops still count."""
    import multisum.render.environment as environment_module
    from multisum.model import Briefing

    (tmp_path / "loops.j2").write_text(
        "{% macro spin(n) %}{% for a in range(n) %}{% for b in range(n) %}{% endfor %}"
        "{% endfor %}{% endmacro %}",
        encoding="utf-8",
    )
    monkeypatch.setattr(environment_module, "template_directory", lambda: tmp_path)
    environment_module.environment.cache_clear()
    try:
        template = tmp_path / "own.md.j2"
        template.write_text('{% import "loops.j2" as l %}{{ l.spin(100000) }}', encoding="utf-8")
        briefing = Briefing(title="T", articles=(), sections=(), algorithm="multisum")
        with pytest.raises(TemplateError, match="its loops took more than 1,000,000 steps"):
            render_markdown(briefing, template=template)
    finally:
        environment_module.environment.cache_clear()
