"""Importers that turn public reference data into registry sections, ready to write as YAML.

`ratings` converts domain-quality datasets, `wikidata` converts SPARQL query results, `yamlout`
writes the result deterministically. Each importer takes the input's text and returns an
`Imported`: plain dicts per registry section, the dataset's licence and attribution, and notes
about what was skipped. Nothing here downloads anything or reads a clock.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from references.model import Registry


class InputError(Exception):
    """The input file is malformed; the message names the file and the line or the JSON path."""

    def __init__(self, path: str, message: str, line: int = 0):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


@dataclass(frozen=True)
class Dataset:
    """Where imported data comes from and the terms it comes with, written into every output."""

    name: str
    origin: str
    licence: str
    attribution: str
    copyleft: bool = False


@dataclass(frozen=True)
class Imported:
    """Registry sections built from one input file, with what the importer had to leave out."""

    dataset: Dataset
    sections: dict[str, list[dict]]
    notes: tuple[str, ...] = field(default=())

    def header(self, input_name: str, imported_on: dt.date | None = None) -> list[str]:
        """Comment lines for the top of the YAML file: origin, licence, attribution, input."""
        lines = [f"Imported by source-audit from {input_name}"
                 + (f" on {imported_on.isoformat()}" if imported_on else "") + ".",
                 f"Dataset: {self.dataset.name}",
                 f"Origin: {self.dataset.origin}",
                 f"Licence: {self.dataset.licence}",
                 f"Attribution: {self.dataset.attribution}"]
        if self.dataset.copyleft:
            lines.append("Copyleft: this file is derived from the dataset above; share it under the dataset's "
                         "licence and keep it out of source-audit's package (references/data/).")
        counts = ", ".join(f"{len(items)} {name}" for name, items in self.sections.items() if items)
        lines.append(f"Contents: {counts or 'nothing'}.")
        return lines

    def overlaps(self, registry: Registry) -> list[str]:
        """What the import would override in `registry` when layered over it.

        A record with the same id or domain replaces the registry's (for a domain, its curated kind
        included), which is allowed but worth knowing.
        """
        notes = []
        for section in ("entities", "events", "facts", "domains"):
            key = "domain" if section == "domains" else "id"
            existing = {(d.domain if section == "domains" else d.id) for d in getattr(registry, section)}
            same = [r[key] for r in self.sections.get(section, ()) if r[key] in existing]
            if same:
                notes.append(f"{len(same)} of the imported {section} override the registry's records with the same "
                             f"{key} when layered over it ({', '.join(same[:5])}{', …' if len(same) > 5 else ''})")
        return notes
