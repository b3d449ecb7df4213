"""Deterministic YAML for imported registries: same sections in, same bytes out.

Nothing here reads a clock or the environment, so re-running an import on the same input gives a
byte-identical file that diffs cleanly in a registry repository.
"""
from __future__ import annotations

from typing import Iterable

import yaml

from references.loader import SECTIONS

SCHEMA_NOTE = "Schema: references/schema/registry.schema.json in source-audit (see references/SCHEMA.md)."


class _Dumper(yaml.SafeDumper):
    """Never writes anchors: the registry loader refuses YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # list items indented under their key, as the bundled registry files are written
        return super().increase_indent(flow, False)


def comment_block(lines: Iterable[str]) -> str:
    """`# `-prefixed lines; a multi-line entry keeps its line breaks."""
    out = []
    for line in lines:
        for part in str(line).splitlines() or [""]:
            out.append(f"# {part}".rstrip())
    return "\n".join(out) + "\n"


def registry_yaml(sections: dict[str, list], header: Iterable[str] = ()) -> str:
    """A registry file: the header as comments, then the non-empty sections in schema order."""
    body = {name: sections[name] for name in SECTIONS if sections.get(name)}
    text = comment_block([*header, SCHEMA_NOTE]) + "\n"
    if body:
        text += yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=False)
    return text
