"""Documentation that cannot drift: the CLI reference is generated from ``--help``, and the
README's sample briefing is checked against the golden briefing.

Run ``python tests/test_docs.py`` to rewrite ``docs/cli.md`` after changing a command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
CLI_REFERENCE = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
GOLDEN = ROOT / "tests" / "golden" / "putin-vietnam-2024.md"
#: ``--help`` is wrapped at this width, whatever terminal the test runs in.
WIDTH = 100
REGENERATE = "run `python tests/test_docs.py` to regenerate docs/cli.md"

HEADER = """\
# Command-line reference

This page is the `--help` text of `multisum` and of each of its commands. It is generated:
after changing a command, run `python tests/test_docs.py` to rewrite it (the test suite fails
while it is out of date).
"""


def _commands() -> dict[str, click.Command]:
    from multisum.cli import cli

    return dict(cli.commands)  # in the order the CLI defines them


def help_text(*args: str) -> str:
    """``multisum ARGS --help`` as a user sees it, at a fixed width."""
    from multisum.cli import cli

    runner = CliRunner()
    result = runner.invoke(
        cli,
        [*args, "--help"],
        prog_name="multisum",
        terminal_width=WIDTH,
        env={"COLUMNS": str(WIDTH)},
    )
    assert result.exit_code == 0, result.output
    return result.output


def cli_reference() -> str:
    """The whole of ``docs/cli.md``: the group's help, then each command's."""
    parts = [HEADER]
    for args in [(), *((name,) for name in _commands())]:
        title = " ".join(("multisum", *args))
        parts.append(f"## {title}\n\n```text\n{help_text(*args).rstrip()}\n```\n")
    return "\n".join(parts)


def test_cli_reference_is_current():
    expected = cli_reference()
    assert CLI_REFERENCE.is_file(), f"docs/cli.md is missing; {REGENERATE}"
    current = CLI_REFERENCE.read_text(encoding="utf-8")
    assert current == expected, f"docs/cli.md differs from the commands' --help; {REGENERATE}"


def test_every_command_and_option_is_documented():
    reference = CLI_REFERENCE.read_text(encoding="utf-8")
    commands = _commands()
    assert set(commands) >= {"brief", "verify", "algorithms", "digest", "evaluate"}
    missing = []
    for name, command in commands.items():
        if f"## multisum {name}\n" not in reference:
            missing.append(f"command {name}")
            continue
        section = reference.split(f"## multisum {name}\n", 1)[1].split("\n## ", 1)[0]
        for parameter in command.params:
            if isinstance(parameter, click.Option):
                for flag in [*parameter.opts, *parameter.secondary_opts]:
                    if not re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", section):
                        missing.append(f"{name} {flag}")
            elif parameter.name.upper() not in section:
                missing.append(f"{name} argument {parameter.name.upper()}")
    assert not missing, f"undocumented in docs/cli.md: {', '.join(missing)}; {REGENERATE}"


def readme_sample() -> list[str]:
    """The sample briefing in the README's "What it writes": from its title (a ``###`` heading)
    to the paragraph after its last bullet."""
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## What it writes\n")
    lines = text[start:].splitlines()[2:]
    first = next(i for i, line in enumerate(lines) if line.startswith("### "))
    sample = []
    for line in lines[first:]:
        if line and not line.startswith(("#", "- ", "*")):
            break  # the prose after the sample
        sample.append(line)
    return sample


def test_readme_sample_is_the_golden_briefing():
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    sample = readme_sample()
    bullets = [line for line in sample if line.startswith("- ")]
    headings = [line for line in sample if line.startswith("## ")]
    assert len(bullets) >= 5 and len(headings) >= 3, sample
    stale = [line for line in bullets + headings if line not in golden]
    assert not stale, "README sample lines not in the golden briefing:\n" + "\n".join(stale)
    # the title and the sections come in the golden file's order
    title = next(line for line in sample if line.startswith("### "))
    assert golden[0] == title[2:]  # the README nests the briefing one level down
    assert [golden.index(h) for h in headings] == sorted(golden.index(h) for h in headings)


def test_readme_set_up_commands_still_work_as_written():
    text = README.read_text(encoding="utf-8")
    setup = text[text.index("## Set-up") : text.index("## What it writes")]
    assert "multisum brief corpus/putin-vietnam-2024" in setup
    assert "python3 -m pytest -q" in setup
    assert (ROOT / "corpus" / "putin-vietnam-2024").is_dir()


if __name__ == "__main__":
    CLI_REFERENCE.write_text(cli_reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {CLI_REFERENCE.relative_to(ROOT)}\n")
