"""`source-audit registry …`: lint, stats, lookup and import for reference registries."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from references.index import RegistryIndex
from references.lint import lint
from references.loader import RegistryError, load_registry
from references.model import Entity

DIRS = click.argument("directories", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
NO_BUNDLED = click.option("--no-bundled-registry", "no_bundled", is_flag=True,
                          help="Leave out the bundled registry (by default it is the base layer).")


class _RegistryGroup(click.Group):
    """Loads `registry import` and its importers only when asked for: every other command, `check`
    above all, starts about 20 ms sooner."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), "import"})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "import":
            from .import_cli import import_group
            return import_group
        return super().get_command(ctx, name)


@click.group("registry", cls=_RegistryGroup)
def registry_group() -> None:
    """Work with reference registries: check them, describe them, search them, import data."""


@registry_group.command("lint")
@DIRS
@NO_BUNDLED
def lint_command(directories: tuple[Path, ...], no_bundled: bool) -> None:
    """Report every problem in the registry: the bundled one layered with DIRECTORIES.

    Each problem is printed as file:line:column: severity: message. Exit 1 when there is an
    error, 0 otherwise; a registry repository runs this in CI.
    """
    _, problems = lint(directories, include_bundled=not no_bundled)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if errors else 0)


def _load(directories, no_bundled):
    try:
        return load_registry(directories, include_bundled=not no_bundled)
    except RegistryError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo("source-audit: the registry has problems; run 'source-audit registry lint'.", err=True)
        sys.exit(2)


@registry_group.command("stats")
@DIRS
@NO_BUNDLED
def stats_command(directories: tuple[Path, ...], no_bundled: bool) -> None:
    """Count what the registry holds, by kind, status, property and language."""
    registry = _load(directories, no_bundled)
    entities = registry.entities
    lines = [
        f"registry {registry.fingerprint}: {len(registry.paths)} file(s)",
        f"entities: {len(entities)}  " + _counts(Counter(e.status for e in entities)),
        "  by type: " + _counts(Counter(e.type for e in entities)),
        "  names: " + _counts(Counter(lang for e in entities for lang, names in e.aliases.by_language
                                       for _ in names)) + f", acronyms {sum(len(e.acronyms) for e in entities)}",
        f"events: {len(registry.events)}  " + _counts(Counter(e.kind for e in registry.events)),
        f"facts: {len(registry.facts)}  " + _counts(Counter(f.property for f in registry.facts)),
        f"  values: {sum(len(f.values) for f in registry.facts)}, revisions: "
        f"{sum(len(f.revisions) for f in registry.facts)}",
        f"domains: {len(registry.domains)}  " + _counts(Counter(d.kind for d in registry.domains)),
        f"signatures: {len(registry.signatures)}  " + _counts(Counter(s.flag for s in registry.signatures)),
        f"sources: {registry.source_count()} distinct URLs",
    ]
    click.echo("\n".join(lines))


def _counts(counter: Counter) -> str:
    return ", ".join(f"{key} {count}" for key, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


@registry_group.command("lookup")
@click.argument("name")
@click.option("--registry", "directories", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Registry directory layered over the bundled one (repeatable).")
@NO_BUNDLED
@click.option("--limit", default=5, show_default=True, help="How many matches to show.")
def lookup_command(name: str, directories: tuple[Path, ...], no_bundled: bool, limit: int) -> None:
    """Find registry entities by NAME: exact names and acronyms first, then near misses, with scores."""
    registry = _load(directories, no_bundled)
    index = RegistryIndex(registry)
    matches = index.lookup(name, limit=limit, min_score=50)
    if not matches:
        click.echo(f"no registry entity is close to {name!r}")
        sys.exit(1)
    for match in matches:
        entity = registry.get(match.entity_id)
        status = f" [{entity.status.replace('_', ' ')}]" if isinstance(entity, Entity) and entity.status != "active" else ""
        acronyms = f" ({', '.join(entity.acronyms)})" if isinstance(entity, Entity) and entity.acronyms else ""
        why = match.why
        if match.name != entity.name and match.why != "acronym":
            why += f"; matched the alias '{match.name}'"
        click.echo(f"{match.score:5.1f}  {match.entity_id}  {entity.name}{acronyms}{status}  — {why}")
        if isinstance(entity, Entity) and entity.resolves_to:
            click.echo(f"       the real body: {', '.join(entity.resolves_to)}")

