"""The registry loads safely, validates, reports every problem with file:line, and layers."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from references.loader import RegistryError, load_registry
from references.model import PartialDate

SOURCE = "sources: [{url: 'https://example.org/a', title: 'Example, 2024'}]"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(directory: Path) -> list[str]:
    with pytest.raises(RegistryError) as info:
        load_registry([directory], include_bundled=False)
    return [str(p) for p in info.value.problems]


def test_bundled_registry_loads_and_every_fact_has_a_dated_source(registry):
    assert len(registry.entities) > 20 and registry.facts and registry.signatures and registry.domains
    for fact in registry.facts:
        assert fact.sources(), fact.id
        for value in fact.all_values():
            assert value.sources or fact.sources(), fact.id
            assert value.valid_from or value.as_of or fact.property in ("founded",), fact.id
            for source in value.sources:
                assert source.url.startswith(("http://", "https://"))
    for entity in registry.entities:
        assert entity.sources, entity.id


def test_bundled_registry_holds_the_required_entities(registry, index):
    for acronym in ("NATO", "OTAN", "ISIS", "ISIL", "EIIL", "ISKP", "ISIS-K", "IS-K", "CEP", "EFD",
                    "COE-DAT", "NIFC", "SCO", "SAARC"):
        assert index.entities_for_acronym(acronym), acronym
    names = {name for e in registry.entities for name in e.names()}
    for name in ("Europol", "Interpol", "Daech", "Mediterranean Dialogue", "Istanbul Cooperation Initiative"):
        assert name in names, name


def test_time_bounded_member_counts(registry):
    facts = registry.facts_about("org.nato", "members")
    assert facts
    fact = facts[0]
    assert fact.value_at(PartialDate(2021, 6, 1).first_day).value.low == 30
    assert fact.value_at(PartialDate(2023, 4, 4).first_day).value.low == 31
    assert fact.value_at(PartialDate(2024, 3, 7).first_day).value.low == 32


def test_yaml_syntax_error_has_file_line_and_column(tmp_path):
    write(tmp_path, "bad.yaml", """\
        entities:
          - id: org.x
            name: "unterminated
        """)
    [message] = problems(tmp_path)
    assert "bad.yaml:" in message and "YAML syntax" in message


def test_unknown_key_and_missing_source_are_located(tmp_path):
    write(tmp_path, "a.yaml", f"""\
        entities:
          - id: org.a
            name: A Body
            type: organisation
            colour: blue
            {SOURCE}
          - id: org.b
            name: B Body
            type: organisation
        """)
    found = problems(tmp_path)
    assert any("a.yaml:5:" in p and "colour" in p for p in found), found
    assert any("a.yaml:7:" in p and "sources" in p for p in found), found


def test_reversed_dates_duplicate_ids_and_unknown_subject(tmp_path):
    write(tmp_path, "a.yaml", f"""\
        entities:
          - id: org.a
            name: A Body
            type: organisation
            {SOURCE}
          - id: org.a
            name: A Body again
            type: organisation
            {SOURCE}
        facts:
          - id: org.a.members
            subject: org.a
            property: members
            values:
              - value: 3
                valid_from: 2020-01-01
                valid_to: 2019-01-01
                {SOURCE}
          - id: org.z.members
            subject: org.z
            property: members
            values:
              - value: 3
                valid_from: 2020-01-01
                {SOURCE}
        """)
    found = "\n".join(problems(tmp_path))
    assert "duplicate entity id 'org.a'" in found and "a.yaml:6:" in found
    assert "valid_from 2020-01-01 is not before valid_to 2019-01-01" in found
    assert "unknown id 'org.z'" in found


def test_dangerous_signature_regex_is_rejected(tmp_path):
    write(tmp_path, "s.yaml", """\
        signatures:
          - id: sig.bad
            flag: aggregator
            pattern: "(a+)+$"
            regex: true
            evidence: test
        """)
    [message] = problems(tmp_path)
    assert "s.yaml:2:" in message and "catastrophically" in message


def test_yaml_anchors_are_refused(tmp_path):
    write(tmp_path, "a.yaml", f"""\
        entities:
          - &one
            id: org.a
            name: A
            type: organisation
            {SOURCE}
          - *one
        """)
    assert any("anchors and aliases" in p for p in problems(tmp_path))


def test_python_tags_are_not_executed(tmp_path):
    write(tmp_path, "a.yaml", "entities: !!python/object/apply:os.system ['echo pwned']\n")
    assert any("a.yaml" in p for p in problems(tmp_path))


def test_later_registry_overrides_earlier_by_id(tmp_path):
    write(tmp_path, "nato.yaml", """\
        entities:
          - id: org.nato
            name: North Atlantic Treaty Organization
            type: alliance
            acronyms: [NATO]
            description: Overridden by a user registry.
            sources: [{url: 'https://example.org/nato', title: 'Example'}]
        """)
    registry = load_registry([tmp_path])
    assert registry.get("org.nato").description == "Overridden by a user registry."
    assert registry.get("org.iskp") is not None  # the bundled registry is still there


def test_missing_registry_directory_is_an_error(tmp_path):
    with pytest.raises(RegistryError) as info:
        load_registry([tmp_path / "nope"])
    assert "registry directory not found" in str(info.value)
