"""`source-audit registry import …`: turn public reference data into registry YAML."""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from references.importers import Imported, InputError
from references.importers.ratings import FORMATS, import_ratings
from references.importers.wikidata import import_wikidata
from references.importers.yamlout import registry_yaml
from references.loader import RegistryError, bundled_registry_dir, load_registry
from references.model import Registry
from reports.files import write_text_atomic


class ImportFailed(click.ClickException):
    """Malformed input or an output that may not be written: exit 2, like every input error."""

    exit_code = 2


def _id_prefix(ctx, param, value):
    if value is not None and not re.fullmatch(r"([a-z0-9][a-z0-9_.-]*)?", value):
        raise click.BadParameter("an id prefix is lower-case letters, digits, '.', '_' and '-' (e.g. 'org.')")
    return value


INPUT = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
OUTPUT = click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
                      help="Registry YAML file to write (default: standard output).")
DATE = click.option("--date", "imported_on", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
                    help="Record this date (YYYY-MM-DD) as the import and retrieval date; "
                         "without it the output carries no date, so it is the same for the same input.")


@click.group("import")
def import_group() -> None:
    """Convert public reference data (domain ratings, Wikidata query results) into registry YAML.

    The output is a registry file: put it in a directory and pass it with --registry. Each file
    records the dataset's origin, licence and attribution in its header. Nothing is downloaded.
    """


@import_group.command("ratings")
@INPUT
@click.option("--format", "fmt", type=click.Choice(("auto", *FORMATS)), default="auto", show_default=True,
              help="Dataset: Lin et al. domain_pc1.csv, OpenSources sources.csv, Wikipedia perennial "
                   "sources CSV, or a Content Farm Terminator list; auto tells them apart by header or name.")
@OUTPUT
@click.option("--min-rating", type=click.FloatRange(0, 1), help="Keep domains rated at least this (0-1).")
@click.option("--max-rating", type=click.FloatRange(0, 1), help="Keep domains rated at most this (0-1).")
@click.option("--limit", type=click.IntRange(min=1), help="Keep the first N domains in the file's order.")
@DATE
def ratings_command(file: Path, fmt: str, output: Path | None, min_rating: float | None,
                    max_rating: float | None, limit: int | None, imported_on: dt.datetime | None) -> None:
    """Turn a domain-quality dataset FILE into `domains:` entries with kinds and ratings.

    A rating below 0.4 makes the audit flag articles from that domain as from an unreliable
    source. Copyleft datasets (OpenSources, Wikipedia, Content Farm Terminator) are refused as
    output into the bundled registry: they stay out of source-audit's package. See docs/importers.md.
    """
    day = imported_on.date() if imported_on else None
    imported = _convert(import_ratings, _read(file), file, fmt, min_rating=min_rating, max_rating=max_rating,
                        limit=limit, retrieved=day and day.isoformat())
    _write(imported, file, output, day, _bundled())


@import_group.command("wikidata")
@INPUT
@OUTPUT
@click.option("--kind", type=click.Choice(("entity", "event")), default="entity", show_default=True,
              help="Make the items registry entities (organisations) or events (attacks).")
@click.option("--id-prefix", callback=_id_prefix,
              help="Prefix of the ids made from English labels  [default: org. for entities, event. for events]")
@DATE
def wikidata_command(file: Path, output: Path | None, kind: str, id_prefix: str | None,
                     imported_on: dt.datetime | None) -> None:
    """Turn Wikidata SPARQL query results (JSON) in FILE into entities or events with their facts.

    Labels and aliases in every language, short names, inception (founded), member counts and
    death tolls with their points in time. docs/importers.md has the queries to run.
    """
    day = imported_on.date() if imported_on else None
    bundled = _bundled()
    imported = _convert(import_wikidata, _read(file), file, kind=kind, id_prefix=id_prefix,
                        retrieved=day and day.isoformat(), existing=bundled)
    _write(imported, file, output, day, bundled)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read: {exc.strerror or exc}") from None


def _convert(importer, text: str, path: Path, *args, **kwargs) -> Imported:
    try:
        return importer(text, str(path), *args, **kwargs)
    except InputError as exc:
        raise ImportFailed(str(exc)) from None


def _bundled() -> Registry | None:
    """The bundled registry, which an import is checked against (None if it does not load)."""
    try:
        return load_registry([], include_bundled=True)
    except RegistryError:
        return None


def _write(imported: Imported, source: Path, output: Path | None, day: dt.date | None,
           bundled: Registry | None) -> None:
    if output and imported.dataset.copyleft and _inside(output, bundled_registry_dir()):
        raise ImportFailed(f"{output}: refusing to write {imported.dataset.name} ({imported.dataset.licence}) into "
                           "the bundled registry; copyleft data stays out of source-audit's package. "
                           "Write it to a registry directory of your own and pass that with --registry.")
    for note in imported.notes:
        click.echo(f"note: {note}", err=True)
    for note in imported.overlaps(bundled) if bundled else ():
        click.echo(f"note: {note}", err=True)
    text = registry_yaml(imported.sections, imported.header(source.name, day))
    counts = ", ".join(f"{len(items)} {section}" for section, items in imported.sections.items() if items)
    if output:
        try:
            write_text_atomic(output, text)
        except OSError as exc:
            raise ImportFailed(f"{output}: cannot write: {exc.strerror or exc}") from None
        click.echo(f"wrote {counts or 'nothing'} to {output}", err=True)
    else:
        sys.stdout.write(text)


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
        return True
    except ValueError:
        return False
