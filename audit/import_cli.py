"""`source-audit registry import …`: turn public reference data into registry YAML."""
from __future__ import annotations

import click


@click.group("import")
def import_group() -> None:
    """Convert public reference data (domain ratings, Wikidata query results) into registry YAML."""
