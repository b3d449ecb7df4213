"""Wikidata SPARQL query results (JSON) to registry entities or events, with their facts.

The input is the standard SPARQL 1.1 JSON results format, one row per combination of values, so an
item with three aliases and two member counts spans several rows; rows are merged by item.
Variables (any other is an error, so a typo does not silently drop data):

    item                 the item's URI (…/entity/Q123) — required
    itemLabel, label_xx  labels; the language is xml:lang, or xx in label_xx
    itemDescription      description (English preferred) — stored as the description
    alias, alias_xx      other names (skos:altLabel), per language
    acronym              short name (P1813)
    instance, instanceLabel   instance of (P31): decides `type` (entities) or `kind` (events)
    inception            P571: a `founded` fact
    members, members_time     member count (P2124) and its point in time (P585)
    deaths, deaths_time  number of deaths (P1120) and its point in time (P585) — events
    date                 point in time (P585) of an event
    place, placeLabel    location (P276) of an event

Dates: the simple results format drops Wikidata's precision, and a year-precision value comes out
as `YYYY-01-01T00:00:00Z`, so a date on 1 January at midnight is kept as the year only and any
other date is kept in full. Dates before year 1000 or BCE are skipped with a note.

Counts: several values, each with a point in time, become `revisions` (`as_of` the point in time);
a single value becomes a `values` entry valid from its point in time, else from the item's
inception (members) or date (deaths). Untimed values next to timed ones, and several untimed
member counts, are left out with a note; several untimed death tolls (competing estimates)
become a `{min, max}` range marked `estimate`. Aliases written like acronyms (`OTAN`, `ISIS-K`)
become `acronyms`, which the audit matches case-sensitively. Entities do not share names: an item
whose name another entity already has is skipped, and a shared alias or acronym is dropped.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from references.model import Registry
from references.normalize import case_key, fold_key

from . import Dataset, Imported, InputError

WIKIDATA = Dataset(
    name="Wikidata (SPARQL query results)",
    origin="Wikidata Query Service, https://query.wikidata.org/ (query run by the user; see docs/importers.md)",
    licence="CC0 1.0 (Wikidata's structured data is dedicated to the public domain)",
    attribution="Wikidata, the free knowledge base, https://www.wikidata.org/")

VARIABLES = ("item", "itemLabel", "itemDescription", "alias", "acronym", "instance", "instanceLabel",
             "inception", "members", "members_time", "deaths", "deaths_time", "date", "place", "placeLabel")
_PER_LANGUAGE = re.compile(r"^(label|alias)_([a-z]{2})$")
_QID = re.compile(r"^(?:https?://www\.wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]*)$")
_DATETIME = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Z0-9&.\-]{1,9}$")
_LANGUAGE = re.compile(r"^([a-z]{2})(?:-[a-z0-9-]+)?$")

ENTITY_TYPES = (  # the first pattern found in an instance label (English) decides the type
    (r"terroris|armed group|armed organi[sz]ation|militant|rebel|guerrilla|militia|paramilitary|insurgent",
     "armed_group"),
    (r"intelligence", "intelligence_body"),
    (r"alliance", "alliance"),
    (r"agency", "agency"),
    (r"\bcent(?:re|er)\b", "centre"),
    (r"\binitiative\b", "initiative"),
    (r"\bpartnership\b", "partnership"),
    (r"\b(?:action )?plan\b|\bstrategy\b", "plan"),
)
EVENT_KINDS = (
    (r"attack|bombing|shooting|massacre|hostage|assassination|hijacking|stabbing|explosion|terroris|attentat",
     "attack"),
    (r"\blaunch", "launch"),
)


@dataclass
class _Item:
    """Everything the rows say about one Wikidata item."""

    qid: str
    labels: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    descriptions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    acronyms: set[str] = field(default_factory=set)
    instances: set[str] = field(default_factory=set)
    inception: set[str] = field(default_factory=set)
    date: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    members: set[tuple[float, str | None]] = field(default_factory=set)
    deaths: set[tuple[float, str | None]] = field(default_factory=set)

    @property
    def name(self) -> str:
        for language in ("en", "any", *sorted(self.labels)):
            if self.labels.get(language):
                return sorted(self.labels[language])[0]
        return ""


def parse_results(text: str, filename: str) -> tuple[list[str], list[dict]]:
    """The variables and bindings of a SPARQL JSON result, checked for shape and known variables."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(filename, f"not JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("head"), dict) \
            or not isinstance(data.get("results"), dict) \
            or not isinstance(data["results"].get("bindings"), list):
        raise InputError(filename, "not SPARQL JSON results: expected {\"head\": {\"vars\": [...]}, "
                         "\"results\": {\"bindings\": [...]}}")
    variables = data["head"].get("vars", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise InputError(filename, "head.vars must be a list of variable names")
    for variable in variables:
        if variable not in VARIABLES and not _PER_LANGUAGE.match(variable):
            raise InputError(filename, f"unknown variable {variable!r} in head.vars (known: "
                             f"{', '.join(VARIABLES)}, label_xx, alias_xx)")
    if "item" not in variables:
        raise InputError(filename, "head.vars has no 'item' variable (the Wikidata item of each row)")
    bindings = data["results"]["bindings"]
    for index, binding in enumerate(bindings):
        where = f"results.bindings[{index}]"
        if not isinstance(binding, dict):
            raise InputError(filename, f"{where} is not an object")
        for variable, term in binding.items():
            if variable not in variables:
                raise InputError(filename, f"{where}.{variable}: variable not declared in head.vars")
            if not isinstance(term, dict) or not isinstance(term.get("value"), str):
                raise InputError(filename, f"{where}.{variable}: expected {{\"type\": …, \"value\": \"…\"}}")
    return variables, bindings


def import_wikidata(text: str, filename: str, kind: str = "entity", id_prefix: str | None = None,
                    retrieved: str | None = None, existing: Registry | None = None) -> Imported:
    """Convert SPARQL JSON results into `entities` (kind "entity") or `events`, plus their facts.

    With `existing` (the registry the import will be layered over), items it already has (by QID)
    are skipped, and so are names it already gives another entity, so the result lints clean on
    top of it.
    """
    if kind not in ("entity", "event"):
        raise ValueError(f"unknown kind {kind!r}")
    prefix = ("org." if kind == "entity" else "event.") if id_prefix is None else id_prefix
    _, bindings = parse_results(text, filename)
    notes: list[str] = []
    items: dict[str, _Item] = {}
    for index, binding in enumerate(bindings):
        _read_binding(binding, f"results.bindings[{index}]", filename, items, notes)
    ignored = {"entity": ("deaths", "date", "places"), "event": ("members",)}[kind]
    for attribute in ignored:
        count = sum(1 for item in items.values() if getattr(item, attribute))
        if count:
            notes.append(f"{attribute} of {count} item(s) ignored: not used for --kind {kind}")
    known = {e.wikidata: e.id for e in existing.entities if e.wikidata} if existing else {}
    named = []
    for qid in sorted(items, key=lambda q: int(q[1:])):
        item = items[qid]
        if not item.name:
            notes.append(f"{qid} has no label; skipped")
        elif kind == "entity" and qid in known:
            notes.append(f"{qid} is already in the registry as {known[qid]!r}; skipped (edit that record instead)")
        else:
            named.append(item)
    names = {item.qid: _names(item) for item in named}
    if kind == "entity":
        named = _unshared(named, names, existing, notes)
    ids = _ids(named, prefix)
    records: list[dict] = []
    facts: list[dict] = []
    build = _entity if kind == "entity" else _event
    for item in named:
        record, item_facts = build(item, ids[item.qid], names[item.qid], [_source(item, retrieved)], notes)
        records.append(record)
        facts.extend(item_facts)
    section = "entities" if kind == "entity" else "events"
    return Imported(WIKIDATA, {section: sorted(records, key=lambda r: r["id"]),
                               "facts": sorted(facts, key=lambda f: f["id"])}, tuple(notes))


# --------------------------------------------------------------------------- reading rows

def _read_binding(binding: dict, where: str, filename: str, items: dict[str, _Item], notes: list[str]) -> None:
    if "item" not in binding:
        raise InputError(filename, f"{where}: no 'item'")
    match = _QID.match(binding["item"]["value"].strip())
    if not match:
        raise InputError(filename, f"{where}.item: {binding['item']['value']!r} is not a Wikidata item URI")
    qid = match.group(1)
    item = items.setdefault(qid, _Item(qid))
    for variable, term in binding.items():
        value = " ".join(term["value"].split())
        if term.get("type") == "bnode" or not value:
            continue  # "unknown value" / "no value" in Wikidata
        per_language = _PER_LANGUAGE.match(variable)
        if variable == "itemLabel" or (per_language and per_language.group(1) == "label"):
            if value != qid:  # the label service falls back to the QID when there is no label
                item.labels[_language(term, per_language)].add(value)
        elif variable == "alias" or per_language:
            item.aliases[_language(term, per_language)].add(value)
        elif variable == "itemDescription":
            item.descriptions[_language(term, None)].add(value)
        elif variable == "acronym":
            item.acronyms.add(value)
        elif variable == "instanceLabel":
            item.instances.add(value)
        elif variable == "placeLabel":
            item.places.add(value)
        elif variable in ("inception", "date"):
            date = _date(value, f"{where}.{variable}", filename, notes)
            if date:
                getattr(item, variable).add(date)
        elif variable in ("members", "deaths"):
            count = _number(value, f"{where}.{variable}", filename)
            time_term = binding.get(f"{variable}_time")
            time = _date(time_term["value"].strip(), f"{where}.{variable}_time", filename, notes) \
                if time_term and time_term.get("type") != "bnode" else None
            getattr(item, variable).add((count, time))


def _language(term: dict, per_language: re.Match | None) -> str:
    if per_language:
        return per_language.group(2)
    match = _LANGUAGE.match(str(term.get("xml:lang", "")).lower())
    return match.group(1) if match else "any"


def _date(value: str, where: str, filename: str, notes: list[str]) -> str | None:
    """A registry date from a Wikidata dateTime; 1 January at midnight means "the year"."""
    if value.startswith("-") or re.match(r"^\+?\d{5,}", value):
        notes.append(f"{where}: date {value} is outside years 1000-9999; skipped")
        return None
    match = _DATETIME.match(value.lstrip("+"))
    if not match:
        raise InputError(filename, f"{where}: {value!r} is not a date")
    year, month, day, time = match.groups()
    if int(year) < 1000:
        notes.append(f"{where}: date {value} is outside years 1000-9999; skipped")
        return None
    if month == "01" and day == "01" and (time or "T00:00:00").startswith("T00:00:00"):
        return year
    return "-".join(p for p in (year, month, day) if p)


def _number(value: str, where: str, filename: str) -> float:
    try:
        number = float(value.lstrip("+"))
    except ValueError:
        raise InputError(filename, f"{where}: {value!r} is not a number") from None
    if number < 0 or number != number or number == float("inf"):
        raise InputError(filename, f"{where}: {value!r} is not a count")
    return int(number) if number.is_integer() else number


def _agreeing(dates: set[str], what: str, notes: list[str]) -> str | None:
    """The most precise of dates that agree ("2011" and "2011-09-22"); None when they conflict."""
    if not dates:
        return None
    best = max(dates, key=lambda d: (len(d), d))
    if all(best.startswith(d) for d in dates):
        return best
    notes.append(f"{what}: conflicting dates {', '.join(sorted(dates))}; left out")
    return None


# --------------------------------------------------------------------------- building records

def _ids(items: list[_Item], prefix: str) -> dict[str, str]:
    """A readable id per item from its name; items whose names collide get their QID appended."""
    slugs = {item.qid: re.sub(r"[^a-z0-9]+", "-", fold_key(item.name)).strip("-")[:80].strip("-")
             for item in items}
    counts: dict[str, int] = defaultdict(int)
    for slug in slugs.values():
        counts[slug] += 1
    ids = {}
    for qid, slug in slugs.items():
        if not slug or counts[slug] > 1:
            slug = f"{slug}-{qid.lower()}".strip("-")
        ids[qid] = f"{prefix}{slug}"
    return ids


def _source(item: _Item, retrieved: str | None) -> dict:
    source = {"url": f"https://www.wikidata.org/wiki/{item.qid}", "title": f"Wikidata, {item.name} ({item.qid})",
              "publisher": "Wikidata"}
    if retrieved:
        source["retrieved"] = retrieved
    return source


def _names(item: _Item) -> tuple[dict[str, list[str]], list[str]]:
    """Aliases per language (labels in other languages first) and the acronyms among them."""
    acronyms = {a for a in item.acronyms if len(a) >= 2}
    aliases: dict[str, set[str]] = defaultdict(set)
    for source in (item.labels, item.aliases):
        for language, names in source.items():
            for name in names:
                if _ACRONYM.match(name):
                    acronyms.add(name)
                elif name != item.name:
                    aliases[language].add(name)
    ordered = {language: sorted(names, key=lambda n: (n.casefold(), n))
               for language, names in sorted(aliases.items()) if names}
    return ordered, sorted(acronyms)


def _unshared(items: list[_Item], names: dict[str, tuple[dict, list]], existing: Registry | None,
              notes: list[str]) -> list[_Item]:
    """Leave out names another entity already has, as lint would report them (first come, first kept).

    An item whose own name is taken is skipped; a taken alias or acronym is dropped from it.
    """
    claimed: dict[tuple[str, str], str] = {}
    for entity in existing.entities if existing else ():
        for name in entity.names():
            claimed.setdefault(("name", fold_key(name) if entity.exists else case_key(name)), entity.id)
        for acronym in entity.acronyms:
            claimed.setdefault(("acronym", case_key(acronym)), entity.id)
    kept = []
    for item in items:
        aliases, acronyms = names[item.qid]
        owner = claimed.get(("name", fold_key(item.name)))
        if owner:
            notes.append(f"{item.qid}: the name {item.name!r} is already {owner!r}'s; skipped")
            continue
        keys = {("name", fold_key(item.name)): item.name}
        for language in list(aliases):
            for alias in list(aliases[language]):
                keys.setdefault(("name", fold_key(alias)), alias)
        for acronym in acronyms:
            keys.setdefault(("acronym", case_key(acronym)), acronym)
        taken = {name for key, name in keys.items() if key in claimed}
        if taken:
            notes.append(f"{item.qid}: {', '.join(sorted(taken))} left out, already another entity's name")
            aliases = {lang: [a for a in alias_list if keys.get(("name", fold_key(a))) not in taken]
                       for lang, alias_list in aliases.items()}
            names[item.qid] = ({lang: a for lang, a in aliases.items() if a},
                               [a for a in acronyms if keys.get(("acronym", case_key(a))) not in taken])
        for key in keys:
            claimed.setdefault(key, item.qid)
        kept.append(item)
    return kept


def _classify(labels: set[str], table: tuple, default: str) -> str:
    for pattern, value in table:
        if any(re.search(pattern, label, re.IGNORECASE) for label in labels):
            return value
    return default


def _description(item: _Item) -> str:
    parts = []
    for language in ("en", "any", *sorted(item.descriptions)):
        if item.descriptions.get(language):
            parts.append(sorted(item.descriptions[language])[0].rstrip(".") + ".")
            break
    if item.instances:
        parts.append(f"Wikidata {item.qid}, instance of: {', '.join(sorted(item.instances))}.")
    else:
        parts.append(f"Wikidata {item.qid}.")
    return " ".join(parts)


def _entity(item: _Item, entity_id: str, names: tuple[dict, list], sources: list[dict],
            notes: list[str]) -> tuple[dict, list[dict]]:
    """The entity record and its `founded` and `members` facts."""
    aliases, acronyms = names
    record: dict = {"id": entity_id, "name": item.name,
                    "type": _classify(item.instances, ENTITY_TYPES, "organisation")}
    if aliases:
        record["aliases"] = aliases
    if acronyms:
        record["acronyms"] = acronyms
    record["wikidata"] = item.qid
    record["description"] = _description(item)
    record["sources"] = sources
    facts = []
    founded = _agreeing(item.inception, f"{item.qid} inception", notes)
    if founded:
        facts.append({"id": f"{entity_id}.founded", "subject": entity_id, "property": "founded",
                      "values": [{"value": founded, "valid_from": founded, "note": "Wikidata inception (P571).",
                                  "sources": sources}]})
    members = _count_fact(item, "members", entity_id, founded, "members", "member count (P2124)", sources, notes)
    return record, facts + ([members] if members else [])


def _event(item: _Item, event_id: str, names: tuple[dict, list], sources: list[dict],
           notes: list[str]) -> tuple[dict, list[dict]]:
    """The event record and its `deaths` fact."""
    aliases, acronyms = names
    for acronym in acronyms:  # events have no acronym list: an acronym is one more name
        aliases.setdefault("any", []).append(acronym)
    date = _agreeing(item.date or item.inception, f"{item.qid} date", notes)
    record: dict = {"id": event_id, "name": item.name, "kind": _classify(item.instances, EVENT_KINDS, "other")}
    if date:
        record["date"] = date
    if aliases:
        record["aliases"] = aliases
    if item.places:
        record["places"] = sorted(item.places)
    record["description"] = _description(item)
    record["sources"] = sources
    deaths = _count_fact(item, "deaths", event_id, date, "people", "number of deaths (P1120)", sources, notes)
    return record, [deaths] if deaths else []


def _count_fact(item: _Item, attribute: str, subject: str, start: str | None, unit: str, what: str,
                sources: list[dict], notes: list[str]) -> dict | None:
    """A members or deaths fact from the item's (value, point in time) pairs; see the module doc."""
    observations = getattr(item, attribute)
    if not observations:
        return None
    prop = attribute
    fact: dict = {"id": f"{subject}.{prop}", "subject": subject, "property": prop, "unit": unit}
    timed: dict[str, set[float]] = defaultdict(set)
    untimed: set[float] = set()
    for value, time in observations:
        (timed[time] if time else untimed).add(value)
    if timed and untimed:
        notes.append(f"{item.qid} {prop}: {len(untimed)} value(s) without a point in time left out")
        untimed = set()
    if untimed:
        value = _combined(untimed, prop)
        if value is None or start is None:
            why = "several values" if value is None else "no point in time, inception or date"
            notes.append(f"{item.qid} {prop}: {why}; left out")
            return None
        note = f"Wikidata {what}."
        if isinstance(value, dict):
            fact["estimate"] = True
            note = (f"Wikidata {what}: several values without a point in time "
                    f"({', '.join(_shown(v) for v in sorted(untimed))}).")
        fact["values"] = [{"value": value, "valid_from": start, "note": note, "sources": sources}]
        return fact
    entries = []
    for time in sorted(timed, key=_date_key):
        value = _combined(timed[time], prop)
        if value is None:
            notes.append(f"{item.qid} {prop}: several values at {time}; left out")
            continue
        if isinstance(value, dict):
            fact["estimate"] = True
        entries.append((time, value))
    if not entries:
        return None
    if len(entries) == 1:
        time, value = entries[0]
        fact["values"] = [{"value": value, "valid_from": time, "note": f"Wikidata {what}, point in time {time}.",
                           "sources": sources}]
    else:
        fact["revisions"] = [{"value": value, "as_of": time, "note": f"Wikidata {what}, point in time {time}.",
                              "sources": sources} for time, value in entries]
    return fact


def _combined(values: set[float], prop: str) -> float | dict | None:
    """One value, or for death tolls a range over competing figures; None for other conflicts."""
    if len(values) == 1:
        return next(iter(values))
    if prop == "deaths":
        return {"min": min(values), "max": max(values)}
    return None


def _date_key(date: str) -> tuple[int, ...]:
    return tuple(int(p) for p in date.split("-"))


def _shown(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)
