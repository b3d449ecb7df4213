"""Registry lint: every problem a registry has, each located to file:line:column.

Loading already reports syntax, schema, date, duplicate-id, reference and pattern problems; lint
adds what needs the whole registry: overlapping validity intervals for one property, two
different founding (or other) dates for one subject, a name or acronym claimed by two entities,
cycles of `parent`, facts about bodies that do not exist.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable

from .loader import DATE_PROPERTIES, Problem, collect_registry
from .model import Entity, Fact, FactValue, Location, Registry
from .normalize import case_key, fold_key


def lint(directories: Iterable[Path | str], include_bundled: bool = True) -> tuple[Registry, list[Problem]]:
    """The registry as far as it loads, and every problem, sorted by file and line."""
    registry, problems = collect_registry(directories, include_bundled)
    return registry, _sorted_unique([*problems, *shared_names(registry), *conflicting_facts(registry)])


def conflicting_facts(registry: Registry) -> list[Problem]:
    """The whole-registry defects that make a verdict depend on which of two facts is read first
    (overlapping values, conflicting dates, `parent` cycles, facts about bodies that do not exist),
    sorted: what `check` warns about when a registry of the user's loads with them. Cheap enough for
    every run (0.03 s at 100k entities), unlike `shared_names`."""
    return _sorted_unique([*overlapping_values(registry), *conflicting_dates(registry), *parent_cycles(registry),
                           *facts_about_nonexistent(registry)])


def _sorted_unique(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once (one place and message), sorted by file, line, column and message."""
    unique = {(p.path, p.line, p.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.path, p.line, p.column, p.message))


def _problem(location: Location | None, message: str, severity: str = "error") -> Problem:
    return Problem(location.path if location else "?", location.line if location else 0, 1, message, severity)


def _interval(value: FactValue) -> tuple:
    start = value.valid_from.first_day if value.valid_from else None
    end = value.valid_to.first_day if value.valid_to else None
    return start, end


def _overlap(a: FactValue, b: FactValue) -> bool:
    (a_start, a_end), (b_start, b_end) = _interval(a), _interval(b)
    starts_before_b_ends = b_end is None or a_start is None or a_start < b_end
    ends_after_b_starts = a_end is None or b_start is None or b_start < a_end
    return starts_before_b_ends and ends_after_b_starts


def overlapping_values(registry: Registry) -> list[Problem]:
    """Two values of one property that hold on the same day: which one is true then?"""
    problems = []
    groups: dict[tuple, list[tuple[Fact, FactValue]]] = defaultdict(list)
    for fact in registry.facts:
        if fact.property in ("founded", "launched", "dissolved", "date"):
            continue
        for value in fact.values:
            groups[(fact.subject, fact.property, fact.group)].append((fact, value))
    for (subject, prop, group), values in groups.items():
        for i, (fact_a, a) in enumerate(values):
            for fact_b, b in values[i + 1:]:
                if _overlap(a, b):
                    where = b.location or fact_b.location
                    other = a.location or fact_a.location
                    problems.append(_problem(where, f"fact {fact_b.id!r}: value {b.value} valid "
                                             f"{_describe(b)} overlaps value {a.value} valid {_describe(a)} "
                                             f"for {subject} {prop}" + (f" ({group})" if group else "")
                                             + f" (at {other})"))
    return problems


def conflicting_dates(registry: Registry) -> list[Problem]:
    """Two dates for one founding (or launch, dissolution, event date): only one can be checked against.

    A date that only makes another more precise ("1949" and "1949-04-04") is no conflict.
    """
    problems = []
    groups: dict[tuple, list[tuple[Fact, FactValue]]] = defaultdict(list)
    for fact in registry.facts:
        if fact.property in DATE_PROPERTIES:
            for value in fact.values:
                groups[(fact.subject, fact.property, fact.group)].append((fact, value))
    for (subject, prop, group), values in groups.items():
        for i, (fact_a, a) in enumerate(values):
            for fact_b, b in values[i + 1:]:
                first, second = str(a.value), str(b.value)
                if not (first.startswith(second) or second.startswith(first)):
                    where = b.location or fact_b.location
                    other = a.location or fact_a.location
                    problems.append(_problem(where, f"fact {fact_b.id!r}: {prop} {second} conflicts with "
                                             f"{first} of fact {fact_a.id!r} for {subject}"
                                             + (f" ({group})" if group else "") + f" (at {other})"))
    return problems


def _describe(value: FactValue) -> str:
    start, end = value.valid_from, value.valid_to
    return f"{start or '…'} to {end or '…'}"


def shared_names(registry: Registry) -> list[Problem]:
    """A name or acronym that points at two entities makes every mention of it ambiguous."""
    claimed: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in registry.entities:
        keys = set()
        for name in entity.names():
            keys.add(("name", fold_key(name) if entity.exists else case_key(name)))
        for acronym in entity.acronyms:
            keys.add(("acronym", case_key(acronym)))
        for key in keys:
            claimed[key].append(entity)
    problems = []
    for (kind, key), entities in claimed.items():
        ids = sorted({e.id for e in entities})
        if len(ids) < 2:
            continue
        first = entities[0]
        for other in entities[1:]:
            problems.append(_problem(other.location, f"{kind} '{key}' of entity {other.id!r} is already claimed by "
                                     f"{first.id!r} (at {first.location})"))
    return problems


def parent_cycles(registry: Registry) -> list[Problem]:
    problems = []
    parents = registry.parents()
    for entity_id in parents:  # a chain can only loop from an entity that has a parent
        seen = [entity_id]
        current = parents.get(entity_id)
        while current:
            if current in seen:
                problems.append(_problem(registry.entity(entity_id).location, f"entity {entity_id!r}: parent "
                                         f"chain loops ({' -> '.join(seen + [current])})"))
                break
            seen.append(current)
            current = parents.get(current)
    return problems


def facts_about_nonexistent(registry: Registry) -> list[Problem]:
    problems = []
    for fact in registry.facts:
        subject = registry.get(fact.subject)
        if isinstance(subject, Entity) and not subject.exists:
            problems.append(_problem(fact.location, f"fact {fact.id!r} is about {fact.subject!r}, "
                                     f"which the registry says is {subject.status.replace('_', ' ')}"))
    return problems
