"""Property-based tests of registry loading, lint and `registry lint` on random, often broken, registries.

A registry either loads or raises RegistryError whose every problem names the file (and, when the
file could be parsed, the line); lint reports instead of raising; the command exits 0 or 1, never
with a traceback; and whatever loads can be indexed and audited against.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import example, given, settings, strategies as st

from audit.cli import cli
from audit.engine import Auditor, audit_document
from claims.model import Document, Span
from property_strategies import junk, prose, safe_characters
from references.lint import lint
from references.loader import RegistryError, load_registry

IDS = ("org.alpha", "org.beta", "event.gamma", "org.nato", "event.september-11-2001", "Bad Id", "", "x" * 201)
DATES = st.one_of(st.sampled_from(("2015", "2015-11", "2015-11-13", "2020-13-01", "2021-02-29", "2015-00",
                                   "0000", "99999", "2015-1-1", "yesterday", "")),
                  st.integers(-5, 10001), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
NAMES = st.one_of(st.sampled_from(("NATO", "OTAN", "Islamic State", "Centre of Excellence", "A", "()", "  ",
                                   "État islamique", "9/11", "\u200b", "Fondation (FX)")), junk)
WRONG = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), junk, st.lists(junk, max_size=2),
                  st.dictionaries(junk, junk, max_size=2), DATES)


def sources():
    return st.lists(st.fixed_dictionaries({"url": st.sampled_from(("https://example.com/a", "http://x.org",
                                                                    "ftp://no", "https://sp ace"))},
                                          optional={"title": junk, "date": DATES}), max_size=2)


def names():
    return st.one_of(st.lists(NAMES, max_size=3),
                     st.dictionaries(st.sampled_from(("en", "fr", "any", "EN", "xyz")), st.lists(NAMES, max_size=3),
                                     max_size=2))


ids = st.sampled_from(IDS)
entity = st.fixed_dictionaries(
    {"id": ids, "name": NAMES, "type": st.sampled_from(("alliance", "centre", "")), "sources": sources()},
    optional={"aliases": names(), "acronyms": st.lists(NAMES, max_size=2),
              "status": st.sampled_from(("active", "defunct", "does_not_exist", "misnamed", "bogus")),
              "resolves_to": st.lists(ids, max_size=2), "requires_context": st.lists(ids, max_size=1),
              "parent": ids, "wikidata": st.sampled_from(("Q7184", "Q", "7184")), "description": junk,
              "misnomers": st.lists(st.fixed_dictionaries({}, optional={"name": NAMES, "acronym": NAMES,
                                                                        "sources": sources()}), max_size=2)})
event = st.fixed_dictionaries(
    {"id": ids, "name": NAMES, "kind": st.sampled_from(("attack", "statistic", "launch", "other", "war")),
     "sources": sources()},
    optional={"date": DATES, "aliases": names(), "venues": names(), "keywords": names(), "triggers": names(),
              "places": st.lists(NAMES, max_size=2), "actors": st.lists(ids, max_size=2),
              "perpetrator": st.fixed_dictionaries({"entity": ids, "status": st.sampled_from(("claimed", "x"))})})
value = st.one_of(st.integers(-10, 10**6), st.floats(), DATES,
                  st.fixed_dictionaries({}, optional={"min": st.integers(0, 500) | st.floats(),
                                                      "max": st.integers(0, 500) | st.floats()}))
fact_value = st.fixed_dictionaries({"value": value, "sources": sources()},
                                   optional={"valid_from": DATES, "valid_to": DATES, "as_of": DATES, "note": junk})
fact = st.fixed_dictionaries(
    {"id": ids, "subject": ids,
     "property": st.sampled_from(("deaths", "injuries", "members", "founded", "date", "fighters", "Deaths"))},
    optional={"values": st.lists(fact_value, max_size=3), "revisions": st.lists(fact_value, max_size=2),
              "unit": junk, "unit_terms": names(), "group": junk, "group_terms": names(),
              "estimate": st.booleans()})
domain = st.fixed_dictionaries(
    {"domain": st.sampled_from(("example.com", "news.example.org", "EXAMPLE.COM", "localhost", "bad domain")),
     "kind": st.sampled_from(("aggregator", "newspaper", "unknown", "bogus")), "sources": sources()},
    optional={"rating": st.floats(-1, 2) | st.integers(), "names": st.lists(NAMES, max_size=2), "name": junk})
signature = st.fixed_dictionaries(
    {"id": ids, "flag": st.sampled_from(("aggregator", "machine_translation", "ai_generated", "nonsense")),
     "pattern": st.one_of(NAMES, st.sampled_from(("(a+)+$", "(", r"(x)\1", r"\bauto-?generated\b", "a{1,1000}",
                                                  "(?i)x", "[", "a" * 600, r"(?:a|b)*c", ""))),
     "evidence": junk},
    optional={"regex": st.booleans(), "language": st.sampled_from(("en", "fr", "any", "de")),
              "weight": st.floats() | st.integers(-1, 3), "description": junk, "sources": sources()})
SECTIONS = {"entities": entity, "events": event, "facts": fact, "domains": domain, "signatures": signature}


@st.composite
def corrupted(draw, document: dict) -> dict:
    """The document with a few values swapped for junk of any type, keys dropped or invented."""
    for _ in range(draw(st.integers(0, 3)) if document else 0):
        section = draw(st.sampled_from(sorted(document)))
        records = document[section]
        if not isinstance(records, list) or not records:
            document[section] = draw(WRONG)
            continue
        record = records[draw(st.integers(0, len(records) - 1))]
        if not isinstance(record, dict):
            continue
        action = draw(st.integers(0, 3))
        if action == 0 and record:
            record[draw(st.sampled_from(sorted(record)))] = draw(WRONG)
        elif action == 1 and record:
            del record[draw(st.sampled_from(sorted(record)))]
        elif action == 2:
            record[draw(st.sampled_from(("unknown", "Name", "id ", "1")))] = draw(WRONG)
        else:
            records.append(draw(WRONG))
    return document


@st.composite
def registry_file(draw) -> bytes:
    """The bytes of one registry file: YAML of (mostly) well-formed records, corrupted or not, or garbage."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return draw(st.sampled_from((
            "entities: [", "entities:\n\t- id: x", "a: &x [1]\nb: *x", "<<: {a: 1}", "entities: {}", "- 1\n- 2",
            "entities:\n  - id: a\n    id: b", "[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]", "? [a]\n: b", "!!binary x",
            "entities: !!set {a}", "--- 1\n--- 2", "%YAML 9.9\n---\n{}", "\ufeffentities: []", "",
            "entities:\n  - !!python/object:os.system {}", "entities: [{id: a, name: 1e400}]",
            "facts: [{id: f, subject: s, property: deaths, values: [{value: 99999999999999999999999999999999999999,"
            " sources: [{url: 'https://x.org'}]}]}]"))).encode()
    document = {name: draw(st.lists(strategy, max_size=3))
                for name, strategy in SECTIONS.items() if draw(st.booleans())}
    if draw(st.booleans()):
        document = draw(corrupted(document))
    text = yaml.safe_dump(document, allow_unicode=draw(st.booleans()), sort_keys=False)
    if kind == 2:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(("", "\t", ":", "- ", "&a", "*a", "{", "'", "\x00"))) + text[cut:]
    return text.encode(draw(st.sampled_from(("utf-8", "utf-8", "utf-16"))), errors="replace")


registry_files = st.lists(st.tuples(st.sampled_from(("a.yaml", "b.yml", "sub/c.yaml", "d.txt")), registry_file()),
                          min_size=1, max_size=3, unique_by=lambda pair: pair[0])


def _write(directory: Path, files) -> None:
    for name, raw in files:
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)


def _check_problems(problems, directory: Path) -> None:
    for problem in problems:
        assert problem.path.startswith(str(directory)), problem
        assert problem.line >= 0 and problem.column >= 0 and problem.message
        assert problem.severity in ("error", "warning")
        str(problem)


@given(files=registry_files, bundled=st.booleans(), text=prose(max_words=20))
@settings(max_examples=40)
@example(files=[("a.yaml", b"[" * 5000)], bundled=False, text="")
@example(files=[("a.yaml", b"- " * 3000 + b"x")], bundled=False, text="")  # was a RecursionError
@example(files=[("a.yaml", b"- " * 50_000 + b"x")], bundled=False, text="")  # crashed libyaml: SIGSEGV
def test_registry_loads_or_raises_registry_error_with_locations(files, bundled, text):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        _write(directory, files)
        try:
            registry = load_registry([directory], include_bundled=bundled)
        except RegistryError as exc:
            assert exc.problems
            _check_problems([p for p in exc.problems if not bundled or p.path.startswith(name)], directory)
            return
    # whatever loads can be indexed and audited against
    auditor = Auditor(registry)
    document = Document("a.md", text, body=Span(0, len(text)))
    assert audit_document(document, auditor, dt.date(2024, 1, 1)) == audit_document(document, auditor,
                                                                                    dt.date(2024, 1, 1))


@given(files=registry_files)
@settings(max_examples=40)
def test_lint_reports_every_problem_with_its_file(files):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        _write(directory, files)
        _, problems = lint([directory], include_bundled=False)
        _check_problems(problems, directory)
        try:
            load_registry([directory], include_bundled=False)
            loads = True
        except RegistryError:
            loads = False
    assert loads or any(p.severity == "error" for p in problems), "lint finds what stops the registry loading"


@given(files=registry_files, bundled=st.booleans())
@settings(max_examples=30)
def test_registry_lint_command_exits_0_or_1(files, bundled):
    runner = CliRunner()  # not the `runner` fixture: one per test function, not per example
    with tempfile.TemporaryDirectory() as name:
        _write(Path(name), files)
        result = runner.invoke(cli, ["registry", "lint", name] + ([] if bundled else ["--no-bundled-registry"]))
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
