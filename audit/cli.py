"""Command line: parse options, run the audit, pick reporters, return an exit code.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, configuration
or input errors. The exit code never depends on the output format or destination.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import click

from claims.loading import STDIN_FORMATS
from references.lint import conflicting_facts
from references.loader import RegistryError
from reports.formats import FORMATS, RenderOptions, render

from . import __version__
from .baseline import Baseline, BaselineError, baseline_text, counts
from .changes import GitError, top_level
from .config import ConfigError, FileConfig, discover
from .distributed import EngineUnavailable
from .engine import Auditor, Config, audit_result, iter_results
from .gating import DEFAULT_FAIL_ON, exit_code, parse_fail_on
from .model import StreamedResult
from .parallel import WorkerError, default_jobs
from .rules import LEVELS, RULES, find_rule, unknown_selectors
from .streaming import JsonlWriter, ReportLines, ResumeError, resume_from, text_bytes


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


def _fail_on(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_fail_on(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _codes(ctx, param, values):
    """Repeatable, comma-separated rule codes or prefixes, checked against the rules."""
    codes = tuple(c.strip().upper() for value in values for c in value.split(",") if c.strip())
    unknown = unknown_selectors(codes)
    if unknown:
        raise click.BadParameter(f"unknown rule code {unknown[0]!r} (see 'source-audit rules')")
    return codes


def _outputs(ctx, param, values):
    """`FORMAT:PATH` pairs; a bare PATH (no known format before a colon) is kept as (None, PATH)."""
    out = []
    for value in values:
        name, sep, path = value.partition(":")
        if sep and name in FORMATS:
            if not path:
                raise click.BadParameter(f"{value!r}: expected FORMAT:PATH, a file name after the colon")
            out.append((name, Path(path)))
        elif sep and name.isalpha() and len(name) > 1:
            raise click.BadParameter(f"unknown report format {name!r} in {value!r} (known: {', '.join(FORMATS)})")
        else:
            out.append((None, Path(value)))
    if sum(1 for name, _ in out if name is None) > 1:
        raise click.BadParameter("only one --output PATH without a FORMAT: prefix (it replaces standard output)")
    return tuple(out)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="source-audit")
def cli() -> None:
    """Audit the factual reliability of articles against a sourced reference registry."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--registry", "registries", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Registry directory layered over the bundled one (repeatable; later ones override by id).")
@click.option("--no-bundled-registry", is_flag=True, help="Use only the --registry directories.")
@click.option("--format", "output_format", type=click.Choice(tuple(FORMATS)), default="text", show_default=True,
              help="Report written to standard output.")
@click.option("--output", "-o", "outputs", multiple=True, callback=_outputs, metavar="FORMAT:PATH",
              help="Also write a report in FORMAT to PATH (repeatable, written atomically; jsonl line by line as "
                   "documents are audited), e.g. sarif:results.sarif. A bare PATH receives the --format report "
                   "instead of standard output.")
@click.option("--html", "html_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Also write a self-contained HTML report into this directory.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="HTML: Jinja2 templates that replace or extend the bundled ones "
                   '({% extends "default:document.html" %}); see docs/html-report.md.')
@click.option("--fail-on", callback=_fail_on, metavar="LEVEL|CODES",
              help="Exit 1 when something at or above this fails: contradicted (default), unverified, flag "
                   "(any provenance flag or contradiction), never; or rule codes and prefixes, comma-separated "
                   "(SA201,SA3), alone or with a level.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 even when findings fail --fail-on (usage, configuration and input errors still exit 2).")
@click.option("--select", multiple=True, callback=_codes, metavar="CODES",
              help="Report only these rule codes or prefixes (comma-separated, repeatable; replaces 'select' "
                   "in the configuration).")
@click.option("--ignore", multiple=True, callback=_codes, metavar="CODES",
              help="Do not report these rule codes or prefixes (added to 'ignore' in the configuration).")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Findings listed in this baseline file are reported as baselined and do not fail.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="Write every finding that is not verified or suppressed inline to this baseline file; "
                   "they are then treated as baselined.")
@click.option("--changed-since", metavar="REF",
              help="Audit only files changed since this git revision (from where the branch left it, "
                   "uncommitted and untracked files included), and report only findings on added or "
                   "modified lines.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Project root: paths in baselines and reports are relative to it (default: the git "
                   "top-level, else the configuration file's directory, else the working directory).")
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
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Audit in N worker processes (default: the machine's cores; 1: in this process). "
                   "Results are the same and in the same order whatever N.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: audit on a Dask distributed cluster (needs the 'dask' extra; see docs/scale.md).")
@click.option("--scheduler", metavar="ADDRESS",
              help="--engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local cluster "
                   "of --jobs workers).")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run: documents already in the JSON Lines report (--output "
                   "jsonl:PATH) are skipped, the others appended to it.")
def check(paths, registries, no_bundled_registry, output_format, outputs, html_dir, templates_dir, fail_on, exit_zero, select,
          ignore, baseline_path, write_baseline, changed_since, root, as_of, lang, stdin_format, include_text,
          show_verified, config_path, no_config, no_cache, cache_dir, jobs, engine, scheduler, resume) -> None:
    """Check the claims in PATHS: files or directories of .txt, .md, .html and .jsonl articles; '-' reads
    one input from standard input.

    Every claim gets a verdict (verified, contradicted, unverified) with the registry reference and
    its sources; documents are flagged for aggregator, machine-translated and AI-generated content
    and unreliable sources. Articles are judged at their publication date (front matter
    `published`, a page's metadata), or today when they have none.

    In CI: --changed-since REF audits what a branch changed, --baseline FILE ignores what was
    already reviewed, <!-- source-audit: ignore CODE reason --> comments suppress single findings.

    Corpora: --format jsonl (or --output jsonl:PATH) writes one line per document as it is audited;
    --jobs N audits in N processes, --engine dask on a cluster, --resume continues a killed run.
    """
    if templates_dir and not html_dir:
        raise UsageError("--templates customises the HTML report: give --html DIR as well")
    if write_baseline and changed_since:
        raise UsageError("--write-baseline records every finding of the files audited; it cannot be "
                         "combined with --changed-since, which audits only part of them")
    if scheduler and engine != "dask":
        raise UsageError("--scheduler is the address of a Dask scheduler: give --engine dask as well")
    sinks = _Sinks.plan(output_format, outputs, html_dir, write_baseline)
    resume_path = sinks.resume_target() if resume else None
    if resume and write_baseline:
        raise UsageError("--resume audits only the documents the report lacks; --write-baseline needs them all")
    settings = _file_config(config_path, no_config)
    root = (root or _default_root(settings)).resolve()
    config = Config(registries=tuple(str(r) for r in (*settings.registries, *registries)),
                    include_bundled=not no_bundled_registry, as_of=as_of or settings.as_of,
                    language=lang or settings.language, stdin_format=stdin_format, use_cache=not no_cache,
                    cache_dir=str(cache_dir) if cache_dir else None,
                    select=select or settings.select, ignore=(*settings.ignore, *ignore),
                    per_file_ignores=settings.per_file_ignores, include=settings.include,
                    exclude=settings.exclude, glob_base=str(settings.base), root=str(root),
                    baseline=str(baseline_path) if baseline_path else None, changed_since=changed_since)
    gate = fail_on or parse_fail_on(settings.fail_on or DEFAULT_FAIL_ON)
    try:
        auditor = Auditor.from_config(config)
    except RegistryError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"source-audit: the registry has {len(exc.problems)} problem(s); nothing was audited.", err=True)
        sys.exit(2)
    if config.registries:  # the bundled registry is lint-clean (a test checks it); the user's may not be
        _warn_about_conflicts(auditor.registry)
    options = RenderOptions(include_text=include_text, show_verified=show_verified, root=root)
    try:
        skip = resume_from(resume_path) if resume_path is not None else None
    except ResumeError as exc:
        raise UsageError(str(exc)) from None
    lines = ReportLines(options, gate, exit_zero, __version__)
    # JSON Lines alone: each document's line is made where it is audited (see StreamedResult)
    streams_only = not sinks.whole and not baseline_path and not changed_since
    try:
        results = iter_results(paths, config, auditor, jobs=jobs or default_jobs(), skip=skip, engine=engine,
                               scheduler=scheduler, lines=lines if streams_only else None)
    except (BaselineError, GitError, EngineUnavailable) as exc:
        raise UsageError(str(exc)) from None
    if skip:
        click.echo(f"source-audit: resuming {resume_path}: {sum(skip.values())} document(s) already audited",
                   err=True)
    if write_baseline:  # every report shows the findings marked by the baseline just written
        result = audit_result(_audited(results, paths), auditor, config)
        text = baseline_text(result, root)
        _write(write_baseline, text)
        written = Baseline.from_text(text)
        result = written.apply(result, root)
        click.echo(f"source-audit: wrote {written.size} finding(s) to the baseline {write_baseline}", err=True)
        _write_reports(result, output_format, outputs, html_dir, options, templates_dir)
        _report_errors(result.documents)
        code = exit_code(result, gate, exit_zero)
        tally = counts(result)
        documents = len(result.documents)
    else:
        code, tally, documents = _stream_reports(results, paths, sinks, auditor, config, options, lines,
                                                 resume_path, templates_dir)
    if changed_since:
        click.echo(f"source-audit: {documents} document(s) in files changed since {changed_since}", err=True)
    if baseline_path or write_baseline:
        click.echo(f"source-audit: {tally[0]} new, {tally[1]} baselined", err=True)
    sys.exit(code)


def _warn_about_conflicts(registry) -> None:
    """Facts that contradict each other load (each is valid on its own) but make verdicts arbitrary:
    say so on standard error, located, without stopping the audit."""
    problems = conflicting_facts(registry)
    for problem in problems:
        click.echo(f"source-audit: {replace(problem, severity='warning')}", err=True)
    if problems:
        click.echo(f"source-audit: warning: the registry has {len(problems)} conflicting fact(s); verdicts that "
                   "rely on them may be wrong (source-audit registry lint lists every problem)", err=True)


def _audited(results, paths, on_result=None) -> Iterator:
    """The results, with a progress bar on a terminal and worker failures turned into usage errors."""
    try:
        with _progress(paths) as advance:
            for result in results:
                advance(result)
                if on_result is not None:
                    on_result(result)
                yield result
    except (WorkerError, EngineUnavailable) as exc:
        raise UsageError(str(exc)) from None


def _report_errors(documents) -> None:
    for document in documents:
        if document.error:
            click.echo(f"source-audit: {document.path}: {document.error}", err=True)


class _Sinks:
    """Where reports go: JSON Lines reports are written document by document (`streamed`); every
    other report needs the whole result, which is then kept in memory (`whole`)."""

    def __init__(self, streamed: list, whole: bool, output_format: str, outputs, html_dir):
        self.streamed, self.whole = streamed, whole
        self.output_format, self.outputs, self.html_dir = output_format, outputs, html_dir

    @classmethod
    def plan(cls, output_format: str, outputs, html_dir, write_baseline) -> "_Sinks":
        replaces_stdout = next((path for name, path in outputs if name is None), None)
        streamed: list = [path for name, path in outputs if name == "jsonl"]
        if output_format == "jsonl":
            streamed.append(replaces_stdout if replaces_stdout is not None else None)  # None: standard output
        whole = bool(html_dir or write_baseline or output_format != "jsonl"
                     or any(name not in (None, "jsonl") for name, _ in outputs))
        return cls(streamed, whole, output_format, outputs, html_dir)

    def resume_target(self) -> Path:
        files = [path for path in self.streamed if path is not None]
        if len(files) != 1:
            raise UsageError("--resume continues one JSON Lines report: give exactly one --output jsonl:PATH "
                             "(or --format jsonl --output PATH)")
        return files[0]


def _stream_reports(results, paths, sinks: _Sinks, auditor, config, options: RenderOptions, lines: ReportLines,
                    resume_path: Path | None, templates_dir) -> tuple[int, tuple[int, int], int]:
    """Write each document's JSON Lines record as it comes, then the reports that need them all.

    Returns the exit code, the (new, baselined) counts and the number of documents, all counted as
    the documents go by (the same as from the whole result)."""
    writers = []
    try:
        for path in sinks.streamed:
            if path is None:
                writers.append(JsonlWriter(sys.stdout))
            else:
                try:
                    writers.append(JsonlWriter(path, append=path == resume_path))
                except OSError as exc:
                    raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        kept = []
        code, new, baselined, documents = 0, 0, 0, 0

        def on_result(result):
            nonlocal code, new, baselined, documents
            reduced = result if isinstance(result, StreamedResult) else lines.reduce(result, with_line=bool(writers))
            for writer in writers:
                writer.write(reduced.line)
            if reduced.error:
                click.echo(f"source-audit: {reduced.path}: {reduced.error}", err=True)
            code = max(code, reduced.exit_code)
            new, baselined, documents = new + reduced.new, baselined + reduced.baselined, documents + 1
            if sinks.whole:
                kept.append(result)

        for _ in _audited(results, paths, on_result):
            pass
    finally:
        for writer in writers:
            writer.close()
    if sinks.whole:
        result = audit_result(kept, auditor, config)
        _write_reports(result, sinks.output_format, [(n, p) for n, p in sinks.outputs if n != "jsonl"],
                       sinks.html_dir, options, templates_dir, stdout=sinks.output_format != "jsonl")
    return code, (new, baselined), documents


@contextmanager
def _progress(paths):
    """A progress bar on standard error when it is a terminal: documents, MB of text, rate, ETA
    (estimated from the inputs' sizes on disk). Never in machine output, never in tests."""
    if not sys.stderr.isatty() or os.environ.get("PYTEST_CURRENT_TEST"):
        yield lambda result: None
        return
    from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    total = _input_bytes(paths)
    columns = [TextColumn("{task.fields[documents]:,} documents"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[mb]:.1f} MB, {task.fields[rate]:.2f} MB/s"), TimeElapsedColumn(),
               TimeRemainingColumn()]
    with Progress(*columns, transient=True, redirect_stdout=False) as progress:
        task = progress.add_task("audit", total=total, documents=0, mb=0.0, rate=0.0)
        started = time.monotonic()
        state = {"documents": 0, "bytes": 0}

        def advance(result) -> None:
            size = text_bytes(result)
            state["documents"] += 1
            state["bytes"] += size
            mb = state["bytes"] / 1e6
            progress.update(task, advance=size, documents=state["documents"], mb=mb,
                            rate=mb / max(time.monotonic() - started, 1e-6))

        yield advance


def _input_bytes(paths) -> int | None:
    """The inputs' total size on disk; None when standard input is one of them."""
    from claims.loading import STDIN, LoadFailure, find_files

    if any(str(p) == STDIN for p in paths):
        return None
    total = 0
    for item in find_files(paths):
        if not isinstance(item, LoadFailure):
            try:
                total += item.stat().st_size
            except OSError:
                pass
    return total or None


def _default_root(settings: FileConfig) -> Path:
    return top_level() or (settings.path.parent if settings.path else Path.cwd())


def _file_config(config_path: Path | None, no_config: bool) -> FileConfig:
    try:
        return discover(config_path, disabled=no_config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _write(path: Path, text: str) -> None:
    from reports.files import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_reports(result, output_format: str, outputs, html_dir, options: RenderOptions,
                   templates_dir: Path | None = None, stdout: bool = True) -> None:
    """Files first (atomically), then standard output; every report comes from the same result.

    The GitHub step summary ($GITHUB_STEP_SUMMARY) is appended once, by the first github report.
    """
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    pending = [Path(summary) if summary else None]

    def options_for(name: str, to_terminal: bool) -> RenderOptions:
        summary_path = None
        if name == "github":
            summary_path, pending[0] = pending[0], None
        width = shutil.get_terminal_size((120, 24)).columns if to_terminal else 120
        return replace(options, width=width, color=to_terminal and not os.environ.get("NO_COLOR"),
                       summary_path=summary_path)

    replaces_stdout = None
    for name, path in outputs:
        if name is None:
            replaces_stdout = path
            continue
        _write(path, render(name, result, options_for(name, False)))
    if not stdout:
        pass  # already streamed
    elif replaces_stdout is not None:
        _write(replaces_stdout, render(output_format, result, options_for(output_format, False)))
    else:
        terminal = sys.stdout.isatty()
        sys.stdout.write(render(output_format, result, options_for(output_format, terminal)))
        sys.stdout.flush()
    if html_dir:
        import jinja2  # here, not at the top: only the HTML report needs it

        from reports import html
        try:
            html.write_report(result, html_dir, templates_dir=templates_dir)
        except jinja2.TemplateError as exc:
            raise UsageError(f"HTML templates: {exc}") from None
        click.echo(f"HTML report written to {html_dir / 'index.html'}", err=True)


@cli.command("config")
@CONFIG_OPTIONS
def config_command(config_path: Path | None, no_config: bool) -> None:
    """Print the configuration 'check' would use, and where each value comes from."""
    settings = _file_config(config_path, no_config)
    click.echo(f"configuration file: {settings.path or '(none found)'}")
    per_file = "; ".join(f"{glob} = {', '.join(codes)}" for glob, codes in settings.per_file_ignores)
    rows = {
        "registries": ", ".join(map(str, settings.registries)) or "(bundled registry only)",
        "fail-on": settings.fail_on or DEFAULT_FAIL_ON,
        "as-of": settings.as_of.isoformat() if settings.as_of else "(each article's publication date, else today)",
        "language": settings.language or "(detected per article)",
        "select": ", ".join(settings.select) or "(every rule)",
        "ignore": ", ".join(settings.ignore) or "(none)",
        "per-file-ignores": per_file or "(none)",
        "include": ", ".join(settings.include) or "(every .txt, .md, .html, .htm and .jsonl file)",
        "exclude": ", ".join(settings.exclude) or "(none; hidden files and directories are always skipped)",
    }
    for key, value in rows.items():
        click.echo(f"{key} = {value}    # {settings.origins.get(key, 'default')}")
    click.echo(f"root = {_default_root(settings)}    # paths in baselines and reports are relative to it "
               "(--root to change)")


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default level and summary."""
    if output_format == "json":
        import json
        data = [{"code": r.code, "name": r.name, "kind": r.kind, "summary": r.summary,
                 "default_level": r.default_level, "docs": r.docs, "failing_example": r.failing_example,
                 "passing_example": r.passing_example} for r in RULES]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    name_width = max(len(r.name) for r in RULES)
    level_width = max(len(r.default_level) for r in RULES)
    click.echo(f"{'code':<6} {'name':<{name_width}} {'level':<{level_width}} summary")
    for r in RULES:
        click.echo(f"{r.code:<6} {r.name:<{name_width}} {r.default_level:<{level_width}} {r.summary}")


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule (by code or name): what it checks, its default level, a failing and a
    passing example."""
    rule = find_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule {code!r} (see 'source-audit rules')")
    click.echo(f"{rule.code} {rule.name}")
    click.echo()
    click.echo(rule.summary)
    click.echo()
    click.echo(click.wrap_text(rule.docs, width=88))
    click.echo()
    click.echo(f"Default level: {rule.default_level}; it {LEVELS[rule.default_level]}.")
    click.echo()
    click.echo("Fails:")
    click.echo(_indent(rule.failing_example))
    click.echo()
    click.echo("Passes:")
    click.echo(_indent(rule.passing_example))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


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
