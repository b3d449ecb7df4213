"""Command line: parse options, run the audit, pick reporters, return an exit code.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, configuration
or input errors. The exit code never depends on the output format or destination.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from claims.loading import STDIN_FORMATS
from references.loader import RegistryError

from .config import ConfigError, FileConfig, discover

from . import __version__
from .engine import Auditor, Config, run
from .gating import exit_code

FORMATS = ("text", "json")


def CONFIG_OPTIONS(command):
    """--config FILE and --no-config, shared by every command that reads the configuration."""
    command = click.option("--no-config", is_flag=True, help="Ignore configuration files.")(command)
    return click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                        help="Configuration file (default: source-audit.toml or pyproject.toml "
                             "[tool.source-audit], searched from the working directory upward).")(command)


class UsageError(click.ClickException):
    exit_code = 2


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected a date YYYY-MM-DD") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="source-audit")
def cli() -> None:
    """Audit the factual reliability of articles against a sourced reference registry."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--registry", "registries", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Registry directory layered over the bundled one (repeatable; later ones override by id).")
@click.option("--no-bundled-registry", is_flag=True, help="Use only the --registry directories.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report written to standard output (or --output).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--html", "html_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write a self-contained HTML report into this directory.")
@click.option("--fail-on", type=click.Choice(["contradicted", "unverified", "flag", "never"]),
              help="Exit 1 when a finding at or above this level is present (default: contradicted; "
                   "'flag' also fails on any provenance flag).")
@click.option("--as-of", type=str, callback=_date, metavar="DATE",
              help="Judge every claim at this date (YYYY-MM-DD) instead of each article's publication date.")
@click.option("--lang", type=click.Choice(["en", "fr"]), help="Language of the articles (default: detected).")
@click.option("--stdin-format", type=click.Choice(STDIN_FORMATS), default="auto", show_default=True,
              help="How '-' (standard input) is read; auto: HTML if it starts with '<', JSON Lines if "
                   "every line is a JSON object, else text/Markdown.")
@click.option("--include-text", is_flag=True,
              help="JSON: include each document's audited text (for HTML, the extracted text offsets refer to).")
@click.option("--show-verified", is_flag=True, help="Text: list verified claims too.")
@CONFIG_OPTIONS
@click.option("--no-cache", is_flag=True, help="Do not read or write the compiled-registry cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where to cache the compiled registry (default: $SOURCE_AUDIT_CACHE_DIR, "
                   "$XDG_CACHE_HOME/source-audit or ~/.cache/source-audit).")
def check(paths, registries, no_bundled_registry, output_format, output, html_dir, fail_on, as_of, lang,
          stdin_format, include_text, show_verified, config_path, no_config, no_cache, cache_dir) -> None:
    """Check the claims in PATHS: files or directories of .txt, .md, .html and .jsonl articles; '-' reads
    one input from standard input.

    Every claim gets a verdict (verified, contradicted, unverified) with the registry reference and
    its sources; documents are flagged for aggregator, machine-translated and AI-generated content
    and unreliable sources. Articles are judged at their publication date (front matter
    `published`, a page's metadata), or today when they have none.
    """
    settings = _file_config(config_path, no_config)
    config = Config(registries=tuple(str(r) for r in (*settings.registries, *registries)),
                    include_bundled=not no_bundled_registry, as_of=as_of or settings.as_of,
                    language=lang or settings.language, stdin_format=stdin_format, use_cache=not no_cache,
                    cache_dir=str(cache_dir) if cache_dir else None)
    fail_on = fail_on or settings.fail_on or "contradicted"
    try:
        auditor = Auditor.from_config(config)
    except RegistryError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"source-audit: the registry has {len(exc.problems)} problem(s); nothing was audited.", err=True)
        sys.exit(2)
    result = run(paths, config, auditor)
    _write_reports(result, output_format, output, html_dir, include_text, show_verified)
    for document in result.documents:
        if document.error:
            click.echo(f"source-audit: {document.path}: {document.error}", err=True)
    sys.exit(exit_code(result, fail_on))


def _file_config(config_path: Path | None, no_config: bool) -> FileConfig:
    try:
        return discover(config_path, disabled=no_config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


@cli.command("config")
@CONFIG_OPTIONS
def config_command(config_path: Path | None, no_config: bool) -> None:
    """Print the configuration 'check' would use, and where each value comes from."""
    settings = _file_config(config_path, no_config)
    click.echo(f"configuration file: {settings.path or '(none found)'}")
    rows = [
        ("registries", ", ".join(map(str, settings.registries)) or "(bundled registry only)"),
        ("fail-on", settings.fail_on or "contradicted"),
        ("as-of", settings.as_of.isoformat() if settings.as_of else "(each article's publication date, else today)"),
        ("language", settings.language or "(detected per article)"),
    ]
    for key, value in rows:
        click.echo(f"{key} = {value}    # {settings.origins.get(key, 'default')}")


def _write_reports(result, output_format, output, html_dir, include_text, show_verified) -> None:
    from reports import console as console_report
    from reports import json_report
    from reports.files import write_text_atomic

    if output_format == "json":
        text = json_report.render(result, include_text=include_text)
        if output:
            write_text_atomic(output, text)
        else:
            sys.stdout.write(text)
    else:
        from rich.console import Console
        if output:
            import io
            buffer = io.StringIO()
            console_report.render(result, Console(file=buffer, width=120, no_color=True), show_verified)
            write_text_atomic(output, buffer.getvalue())
        else:
            console = Console()
            if not console.is_terminal:
                console = Console(width=120)  # piped into a file or a CI log: do not squeeze to 80 columns
            console_report.render(result, console, show_verified)
    if html_dir:
        from reports import html
        html.write_report(result, html_dir)
        click.echo(f"HTML report written to {html_dir / 'index.html'}", err=True)


from .registry_cli import registry_group  # noqa: E402  (the group is defined above)

cli.add_command(registry_group)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="source-audit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 2
    except Exception as exc:  # a crash is an error (exit 2), never a false "clean" or "findings"
        click.echo(f"source-audit: internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("Please report this with the command line that caused it.", err=True)
        return 2
    return 0
