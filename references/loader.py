"""Load registry directories of YAML files into a validated `Registry`.

YAML is parsed with PyYAML's safe loader into nodes so every value keeps its line and column;
the JSON Schema in `references/schema/` validates each file and its errors are reported as
`file:line:column: message`. Later directories override earlier ones by id, so a user's registry
layers over the bundled one exactly the way the bundled one is loaded.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import yaml

if TYPE_CHECKING:
    import jsonschema

from .patterns import PatternError, compile_signature
from .model import (Entity, Event, Fact, FactValue, Interval, Location, Names, PartialDate,
                    Perpetrator, Registry, Signature, Source, SourceDomain)

DATE_PROPERTIES = frozenset({"founded", "launched", "dissolved", "date"})
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 100  # a registry nests 6 levels deep; libyaml's composer recurses, and crashes past ~20,000

try:  # libyaml is ~3x faster; both loaders are the safe ones
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One defect in a registry file, located to the line and column."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


class RegistryError(Exception):
    """The registry could not be loaded; `problems` says where and why."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_PACKAGE = Path(__file__).parent  # package data are files next to the modules (importlib.resources: 15 ms a start)


def bundled_registry_dir() -> Path:
    return _PACKAGE / "data"


@lru_cache(maxsize=1)
def _schema_validator() -> jsonschema.protocols.Validator:
    import jsonschema  # only when YAML is validated: a warm start from the cache never needs it (0.1 s)

    text = (_PACKAGE / "schema" / "registry.schema.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# --------------------------------------------------------------------------- YAML with positions

class _Positions(dict):
    """Maps a path inside the document (tuple of keys/indices) to its (line, column), 1-based."""

    def at(self, path: tuple) -> tuple[int, int]:
        while path and path not in self:
            path = path[:-1]
        return self.get(path, (0, 0))


def _first_alias(text: str) -> yaml.Event | None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event
    return None


def _parse_yaml(text: str, path: str) -> tuple[Any, _Positions]:
    try:
        return _compose(text)
    except _PositionedError as exc:
        if exc.args[0] == _ALIAS_MESSAGE:  # the composed tree lost where the alias was: find it
            alias = _first_alias(text)
            if alias is not None:
                raise _PositionedError(alias, _ALIAS_MESSAGE) from None
        raise


_ALIAS_MESSAGE = "YAML anchors and aliases are not allowed in a registry"
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                        for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))


def _nesting_bound(text: str) -> int:
    """An upper bound of how deep YAML `text` nests, without parsing: each flow level takes a
    bracket, each block level a column of its own (or two, a sequence inside a mapping)."""
    return text.count("[") + text.count("{") + 2 * max(map(len, text.splitlines()), default=0) + 2


def _check_depth(text: str) -> None:
    """Reject text nested deeper than MAX_DEPTH from parser events (libyaml's parser does not recurse)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _PositionedError(event, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str) -> tuple[Any, _Positions]:
    if _nesting_bound(text) > 2000:  # rare: the ordinary file is composed without a second parse
        _check_depth(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    positions = _Positions()
    if node is None:
        return {}, positions
    seen: set[int] = set()
    constructor = yaml.SafeLoader("")

    def convert(n: yaml.Node, where: tuple) -> Any:
        if len(where) > MAX_DEPTH:
            raise _PositionedError(n, f"nested more than {MAX_DEPTH} levels deep")
        if id(n) in seen:  # an alias is the anchored node met again; a billion laughs starts so
            raise _PositionedError(n, _ALIAS_MESSAGE)
        if n.tag not in _PLAIN_TAGS:  # the safe loader ignores `!!python/...` on lists and maps: refuse it
            raise _PositionedError(n, f"YAML tag {n.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed "
                                      "in a registry")
        seen.add(id(n))
        positions[where] = (n.start_mark.line + 1, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _PositionedError(key_node, "mapping keys must be plain strings")
                key = constructor.construct_object(key_node)
                if key == "<<":
                    raise _PositionedError(key_node, "YAML merge keys are not allowed in a registry")
                if key in out:
                    raise _PositionedError(key_node, f"duplicate key {key!r}")
                positions[(*where, key, "__key__")] = (key_node.start_mark.line + 1,
                                                       key_node.start_mark.column + 1)
                out[key] = convert(value_node, (*where, key))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [convert(item, (*where, i)) for i, item in enumerate(n.value)]
        try:
            return constructor.construct_object(n)
        except (ValueError, yaml.constructor.ConstructorError):
            return n.value  # e.g. '2020-13-01' looks like a date but is none: the schema says so, here

    return convert(node, ()), positions


class _PositionedError(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.line = node.start_mark.line + 1
        self.column = node.start_mark.column + 1
        super().__init__(message)


def _jsonable(value: Any) -> Any:
    """YAML timestamps become ISO strings so JSON Schema sees what the author wrote."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


# --------------------------------------------------------------------------- building objects

def _names(raw: Any) -> Names:
    if not raw:
        return Names()
    if isinstance(raw, list):
        return Names((("any", tuple(raw)),))
    return Names(tuple((lang, tuple(names)) for lang, names in sorted(raw.items())))


def _date(raw: Any) -> PartialDate | None:
    return None if raw is None else PartialDate.parse(raw)


def _sources(raw: Any) -> tuple[Source, ...]:
    out = []
    for s in raw or ():
        out.append(Source(url=s["url"], title=s.get("title", ""), publisher=s.get("publisher", ""),
                          date=_date(s.get("date")),
                          retrieved=_date(s.get("retrieved"))))
    return tuple(out)


def _value(raw: Any, prop: str) -> Interval | PartialDate:
    if prop in DATE_PROPERTIES:
        return PartialDate.parse(raw)
    if isinstance(raw, dict):
        low, high = raw.get("min"), raw.get("max")
        if low is not None and high is not None and low > high:
            raise ValueError(f"range min {low} is above max {high}")
        return Interval(low, high)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"property {prop!r} takes a number or a {{min, max}} range, not {raw!r}")
    return Interval.exact(raw)


def _fact_values(raw: list | None, prop: str, where=lambda i: None) -> tuple[FactValue, ...]:
    out = []
    for i, v in enumerate(raw or ()):
        fv = FactValue(value=_value(v["value"], prop), valid_from=_date(v.get("valid_from")),
                       valid_to=_date(v.get("valid_to")), as_of=_date(v.get("as_of")),
                       sources=_sources(v.get("sources")), note=v.get("note", ""), location=where(i))
        if fv.valid_from and fv.valid_to and fv.valid_from.first_day >= fv.valid_to.first_day:
            raise ValueError(f"valid_from {fv.valid_from} is not before valid_to {fv.valid_to}")
        out.append(fv)
    return tuple(out)


def _build(section: str, raw: dict, loc: Location, where=lambda key, i: None) -> Any:
    if section == "entities":
        return Entity(id=raw["id"], name=raw["name"], type=raw["type"], aliases=_names(raw.get("aliases")),
                      acronyms=tuple(raw.get("acronyms", ())), status=raw.get("status", "active"),
                      resolves_to=tuple(raw.get("resolves_to", ())),
                      requires_context=tuple(raw.get("requires_context", ())),
                      parent=raw.get("parent"), wikidata=raw.get("wikidata"),
                      description=raw.get("description", ""),
                      sources=_sources(raw.get("sources")), location=loc)
    if section == "events":
        perp = raw.get("perpetrator")
        return Event(id=raw["id"], name=raw["name"], kind=raw["kind"], date=_date(raw.get("date")),
                     aliases=_names(raw.get("aliases")), venues=_names(raw.get("venues")),
                     keywords=_names(raw.get("keywords")),
                     places=tuple(raw.get("places", ())), triggers=_names(raw.get("triggers")),
                     perpetrator=Perpetrator(perp["entity"], perp["status"], perp.get("note", "")) if perp else None,
                     actors=tuple(raw.get("actors", ())), description=raw.get("description", ""),
                     sources=_sources(raw.get("sources")), location=loc)
    if section == "facts":
        prop = raw["property"]
        return Fact(id=raw["id"], subject=raw["subject"], property=prop,
                    values=_fact_values(raw.get("values"), prop, lambda i: where("values", i)),
                    revisions=_fact_values(raw.get("revisions"), prop, lambda i: where("revisions", i)),
                    unit=raw.get("unit", ""), unit_terms=_names(raw.get("unit_terms")),
                    group=raw.get("group"), group_terms=_names(raw.get("group_terms")),
                    estimate=bool(raw.get("estimate", False)), note=raw.get("note", ""), location=loc)
    if section == "domains":
        return SourceDomain(domain=raw["domain"], kind=raw["kind"], name=raw.get("name", ""),
                            names=tuple(raw.get("names", ())), rating=raw.get("rating"),
                            evidence=raw.get("evidence", ""), sources=_sources(raw.get("sources")),
                            location=loc)
    if section == "signatures":
        return Signature(id=raw["id"], flag=raw["flag"], pattern=raw["pattern"], regex=bool(raw.get("regex")),
                         language=raw.get("language", "any"), weight=float(raw.get("weight", 1.0)),
                         description=raw.get("description", ""), evidence=raw["evidence"],
                         sources=_sources(raw.get("sources")), location=loc)
    raise KeyError(section)


def _misnomers(raw: dict, entity: Entity, where) -> list[Entity]:
    """An entity's `misnomers:` shorthand, expanded into misnamed entities pointing back to it."""
    out = []
    for i, item in enumerate(raw.get("misnomers") or ()):
        names = [item["name"]] if item.get("name") else []
        acronyms = [item["acronym"]] if item.get("acronym") else []
        out.append(Entity(
            id=f"{entity.id}.misnomer-{i + 1}", name=item.get("name") or item.get("acronym"), type=entity.type,
            aliases=Names((("any", tuple(names[1:])),)) if len(names) > 1 else Names(),
            acronyms=tuple(acronyms), status="misnamed", resolves_to=(entity.id,),
            requires_context=tuple(item.get("requires_context", ())),
            description=item.get("note") or f"A wrong name for {entity.name}.",
            sources=_sources(item.get("sources")) or entity.sources, location=where("misnomers", i)))
    return out


SECTIONS = ("entities", "events", "facts", "domains", "signatures")
SINGULAR = {"entities": "entity", "events": "event", "facts": "fact", "domains": "domain", "signatures": "signature"}


def _key(section: str, obj: Any) -> str:
    return obj.domain if section == "domains" else obj.id


def load_file(path: Path, shown: str | None = None) -> tuple[dict[str, list], list[Problem]]:
    """Parse and validate one YAML file; return its objects per section and its problems."""
    shown = shown or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {s: [] for s in SECTIONS}, [Problem(shown, 0, 0, f"file is larger than {MAX_FILE_BYTES // 2**20} MB")]
        raw = path.read_bytes()
    except OSError as exc:
        return {s: [] for s in SECTIONS}, [Problem(shown, 0, 0, f"cannot read: {exc.strerror or exc}")]
    objects, problems = _load_text(raw, shown)
    return {s: list(items) for s, items in objects.items()}, list(problems)


@lru_cache(maxsize=256)
def _load_text(raw: bytes, shown: str) -> tuple[dict[str, tuple], tuple[Problem, ...]]:
    """The objects of one file's bytes (memoised: the records are immutable, the same bytes give
    the same records, and a process such as the test suite loads the bundled files many times)."""
    objects, problems = _parse_and_build(raw, shown)
    return {s: tuple(items) for s, items in objects.items()}, tuple(problems)


def _parse_and_build(raw: bytes, shown: str) -> tuple[dict[str, list], list[Problem]]:
    problems: list[Problem] = []
    objects: dict[str, list] = {s: [] for s in SECTIONS}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return objects, [Problem(shown, 0, 0, f"not UTF-8: {exc.reason} at byte {exc.start}")]
    try:
        data, positions = _parse_yaml(text, shown)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        return objects, [Problem(shown, line, col, f"YAML syntax: {exc.problem or exc}")]
    except _PositionedError as exc:
        return objects, [Problem(shown, exc.line, exc.column, str(exc))]
    except yaml.YAMLError as exc:
        return objects, [Problem(shown, 0, 0, f"YAML: {exc}")]
    if data is None:
        return objects, []
    if not isinstance(data, dict):
        return objects, [Problem(shown, 1, 1, "a registry file must be a mapping of sections "
                                 f"({', '.join(SECTIONS)})")]
    for error in sorted(_schema_validator().iter_errors(_jsonable(data)), key=lambda e: list(map(str, e.path))):
        where = tuple(error.path)
        if error.validator == "additionalProperties":
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            if extra:
                where = (*where, extra[0], "__key__")
        line, col = positions.at(where)
        problems.append(Problem(shown, line, col, _schema_message(error)))
    if problems:
        return objects, problems
    for section in SECTIONS:
        for index, raw in enumerate(data.get(section) or ()):
            line, col = positions.at((section, index))

            def where(key: str, i: int, section=section, index=index) -> Location:
                return Location(shown, positions.at((section, index, key, i))[0])
            try:
                built = _build(section, raw, Location(shown, line), where)
                objects[section].append(built)
                if section == "entities":
                    objects[section].extend(_misnomers(raw, built, where))
            except ValueError as exc:
                problems.append(Problem(shown, line, col, f"{section}[{index}] ({raw.get('id', '?')}): {exc}"))
    return objects, problems


def _schema_message(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.path) or "(top level)"
    if error.validator == "additionalProperties":
        extra = sorted(k for k in error.instance if k not in error.schema.get("properties", {}))
        return f"{path}: unknown key(s) {', '.join(map(repr, extra))}"
    if error.validator == "required":
        return f"{path}: {error.message.replace('is a required property', 'is required')}"
    if error.validator == "anyOf" and error.schema.get("anyOf") == [{"required": ["values"]}, {"required": ["revisions"]}]:
        return f"{path}: a fact needs 'values' or 'revisions'"
    if error.validator == "anyOf" and error.schema.get("description") == "YYYY, YYYY-MM or YYYY-MM-DD":
        return f"{path}: not a date (YYYY, YYYY-MM or YYYY-MM-DD): {error.instance!r}"
    message = error.message
    if len(message) > 200:
        message = message[:200] + "…"
    return f"{path}: {message}"


def _registry_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_registry(directories: Iterable[Path | str], include_bundled: bool = True) -> Registry:
    """Load the bundled registry (unless told not to) then each directory, later ones overriding.

    Raises RegistryError listing every problem found, each with file, line and column.
    """
    registry, problems = collect_registry(directories, include_bundled)
    if any(p.severity == "error" for p in problems):
        raise RegistryError(problems)
    return registry


def collect_registry(directories: Iterable[Path | str], include_bundled: bool = True) -> tuple[Registry, list[Problem]]:
    """Everything that loads, and every problem found on the way (for lint, which reports them all)."""
    layers = ([bundled_registry_dir()] if include_bundled else []) + [Path(d) for d in directories]
    problems: list[Problem] = []
    merged: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    digest = hashlib.sha256()
    paths: list[str] = []
    for layer, directory in enumerate(layers):
        if not directory.is_dir():
            problems.append(Problem(str(directory), 0, 0, "registry directory not found"))
            continue
        seen_here: dict[str, dict[str, Location]] = {s: {} for s in SECTIONS}
        for path in _registry_files(directory):
            rel = path.relative_to(directory).as_posix()
            shown = str(path)
            try:
                digest.update(f"{layer}:{rel}\0".encode() + path.read_bytes() + b"\0")
            except OSError:
                pass
            paths.append(shown)
            objects, file_problems = load_file(path, shown)
            problems.extend(file_problems)
            for section, items in objects.items():
                for obj in items:
                    key = _key(section, obj)
                    if key in seen_here[section]:
                        first = seen_here[section][key]
                        problems.append(Problem(obj.location.path, obj.location.line, 1,
                                                f"duplicate {SINGULAR[section]} id {key!r} (first defined at {first})"))
                        continue
                    seen_here[section][key] = obj.location
                    merged[section][key] = obj
    registry = Registry(entities=tuple(merged["entities"].values()), events=tuple(merged["events"].values()),
                        facts=tuple(merged["facts"].values()), domains=tuple(merged["domains"].values()),
                        signatures=tuple(merged["signatures"].values()),
                        fingerprint="sha256:" + digest.hexdigest()[:16], paths=tuple(paths))
    problems.extend(check_references(registry))
    return registry, problems


def check_references(registry: Registry) -> list[Problem]:
    """Cross-file checks: every id a record points to exists, every pattern compiles."""
    problems: list[Problem] = []

    def need(thing_id: str | None, what: str, loc: Location | None) -> None:
        if thing_id and registry.get(thing_id) is None:
            problems.append(Problem(loc.path if loc else "?", loc.line if loc else 0, 1,
                                    f"{what} refers to unknown id {thing_id!r}"))

    for e in registry.entities:
        for target in e.resolves_to:
            need(target, f"entity {e.id!r} resolves_to", e.location)
        for target in e.requires_context:
            need(target, f"entity {e.id!r} requires_context", e.location)
        need(e.parent, f"entity {e.id!r} parent", e.location)
        if e.status == "misnamed" and not e.resolves_to:
            problems.append(Problem(e.location.path, e.location.line, 1,
                                    f"misnamed entity {e.id!r} must say what it resolves_to"))
    for ev in registry.events:
        if ev.perpetrator:
            need(ev.perpetrator.entity, f"event {ev.id!r} perpetrator", ev.location)
        for target in ev.actors:
            need(target, f"event {ev.id!r} actors", ev.location)
    for f in registry.facts:
        need(f.subject, f"fact {f.id!r} subject", f.location)
        if not f.sources():
            problems.append(Problem(f.location.path, f.location.line, 1, f"fact {f.id!r} has no source URL"))
    for s in registry.signatures:
        try:
            compile_signature(s)
        except PatternError as exc:
            problems.append(Problem(s.location.path, s.location.line, 1, f"signature {s.id!r}: {exc}"))
    return problems
