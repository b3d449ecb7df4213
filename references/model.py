"""The registry's objects: entities, events, facts, source domains and text signatures.

All are small frozen dataclasses built by `references.loader`; a registry read back from the cache
holds its entities packed (`PackedEntities`). Nothing here does I/O.
"""
from __future__ import annotations

import datetime as dt
import pickle
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, chain
from typing import Callable, Iterable, Iterator

ENTITY_STATUSES = ("active", "defunct", "does_not_exist", "misnamed")
ATTRIBUTION_STATUSES = ("claimed", "attributed", "disputed", "unclaimed")
DOMAIN_KINDS = ("wire", "official", "newspaper", "broadcaster", "magazine", "blog", "aggregator",
                "content_farm", "ai_generated", "state_affiliated", "satire", "unknown")
FLAG_KINDS = ("aggregator", "machine_translation", "ai_generated", "unreliable_source")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day ("2017", "1995-02", "2020-03-27")."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        """Accept a date, an int year or an ISO string of 4, 7 or 10 characters."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        if isinstance(value, str):
            parts = value.strip().split("-")
            if 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
                nums = [int(p) for p in parts]
                candidate = cls(*nums)
                candidate.first_day  # raises ValueError for an impossible month or day
                return candidate
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")


@dataclass(frozen=True)
class Source:
    """Where a fact was read: a URL and the publisher/title as a reader would cite it."""

    url: str
    title: str = ""
    publisher: str = ""
    date: PartialDate | None = None
    retrieved: PartialDate | None = None

    @property
    def citation(self) -> str:
        """How a reader would cite it: 'Publisher: title' or whichever is known."""
        if self.publisher and self.title and self.publisher not in self.title:
            return f"{self.publisher}: {self.title}"
        return self.title or self.publisher or self.url


@dataclass(frozen=True)
class Location:
    """Where something was defined, for error messages: file and 1-based line."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Names:
    """Names of one thing per language code ("en", "fr", or "any")."""

    by_language: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def all(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, names in self.by_language:
            for name in names:
                seen.setdefault(name, None)
        return tuple(seen)

    def for_language(self, language: str) -> tuple[str, ...]:
        out: list[str] = []
        for lang, names in self.by_language:
            if lang in (language, "any"):
                out.extend(names)
        return tuple(out)

    def __bool__(self) -> bool:
        return any(names for _, names in self.by_language)


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: Names = Names()
    acronyms: tuple[str, ...] = ()
    status: str = "active"
    resolves_to: tuple[str, ...] = ()
    requires_context: tuple[str, ...] = ()
    parent: str | None = None
    wikidata: str | None = None
    description: str = ""
    sources: tuple[Source, ...] = ()
    location: Location | None = field(default=None, compare=False)

    @property
    def exists(self) -> bool:
        return self.status in ("active", "defunct")

    def names(self) -> tuple[str, ...]:
        """Every full name (canonical first), without acronyms."""
        return (self.name, *[a for a in self.aliases.all() if a != self.name])


@dataclass(frozen=True)
class Perpetrator:
    entity: str
    status: str  # one of ATTRIBUTION_STATUSES
    note: str = ""


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    kind: str
    date: PartialDate | None
    aliases: Names = Names()
    venues: Names = Names()
    keywords: Names = Names()
    places: tuple[str, ...] = ()
    triggers: Names = Names()
    perpetrator: Perpetrator | None = None
    actors: tuple[str, ...] = ()
    description: str = ""
    sources: tuple[Source, ...] = ()
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Interval:
    """A reference value: exact (low == high), a range, or open-ended (None bound)."""

    low: float | None
    high: float | None

    @classmethod
    def exact(cls, value: float) -> "Interval":
        return cls(value, value)

    @property
    def is_exact(self) -> bool:
        return self.low is not None and self.low == self.high

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"
        if self.is_exact:
            return fmt(self.low)
        if self.high is None:
            return f"at least {fmt(self.low)}"
        if self.low is None:
            return f"at most {fmt(self.high)}"
        return f"{fmt(self.low)}–{fmt(self.high)}"

    def as_json(self) -> object:
        if self.is_exact:
            low = self.low
            return int(low) if float(low).is_integer() else low
        out = {}
        if self.low is not None:
            out["min"] = int(self.low) if float(self.low).is_integer() else self.low
        if self.high is not None:
            out["max"] = int(self.high) if float(self.high).is_integer() else self.high
        return out


@dataclass(frozen=True)
class FactValue:
    """One value of a fact with the time it held: [valid_from, valid_to) or as of a date."""

    value: Interval | PartialDate
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    as_of: PartialDate | None = None
    sources: tuple[Source, ...] = ()
    note: str = ""
    location: Location | None = field(default=None, compare=False)

    def holds_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from.first_day:
            return False
        if self.valid_to and day >= self.valid_to.first_day:
            return False
        return True

    @property
    def starts(self) -> dt.date | None:
        start = self.valid_from or self.as_of
        return start.first_day if start else None


@dataclass(frozen=True)
class Fact:
    """A property of an entity or event, with its values over time and their sources.

    `values` are time-bounded states (a member count); `revisions` is a series of figures
    reported as of successive dates (a death toll revised as bodies were found).
    """

    id: str
    subject: str
    property: str
    values: tuple[FactValue, ...] = ()
    revisions: tuple[FactValue, ...] = ()
    unit: str = ""
    unit_terms: Names = Names()
    group: str | None = None
    group_terms: Names = Names()
    estimate: bool = False
    note: str = ""
    location: Location | None = field(default=None, compare=False)

    def all_values(self) -> tuple[FactValue, ...]:
        return self.values + self.revisions

    def sources(self) -> tuple[Source, ...]:
        seen: dict[str, Source] = {}
        for value in self.all_values():
            for source in value.sources:
                seen.setdefault(source.url, source)
        return tuple(seen.values())

    def value_at(self, day: dt.date) -> FactValue | None:
        """The value that held on `day`: the valid state, or the latest revision before it."""
        for value in self.values:
            if value.holds_on(day):
                return value
        earlier = [r for r in self.revisions if r.as_of and r.as_of.first_day <= day]
        if earlier:
            return max(earlier, key=lambda r: r.as_of.first_day)
        return None

    def latest(self) -> FactValue | None:
        """The most recent value of all (the last state or the last revision)."""
        dated = [v for v in self.all_values() if v.starts]
        if dated:
            return max(dated, key=lambda v: v.starts)
        return self.all_values()[-1] if self.all_values() else None

    def later_than(self, day: dt.date) -> tuple[FactValue, ...]:
        return tuple(v for v in self.all_values() if v.starts and v.starts > day)


@dataclass(frozen=True)
class SourceDomain:
    domain: str
    kind: str
    name: str = ""
    names: tuple[str, ...] = ()
    rating: float | None = None
    evidence: str = ""
    sources: tuple[Source, ...] = ()
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Signature:
    """A text pattern that betrays provenance: aggregator boilerplate, MT artefacts, AI style."""

    id: str
    flag: str
    pattern: str
    regex: bool = False
    language: str = "any"
    weight: float = 1.0
    description: str = ""
    evidence: str = ""
    sources: tuple[Source, ...] = ()
    location: Location | None = field(default=None, compare=False)


class PackedStrings:
    """A list of strings kept as their UTF-8 bytes, in one block, and the offset where each ends.

    It unpickles as two blocks instead of one object per string (the names and words of 1M
    aliases took 0.35 s of every start); in the compiled-registry cache both blocks go out of
    band, so a warm load maps them instead of decoding them (the display names of 1M aliases took
    0.09 s) or reading them (the offsets of 1M strings are 8 MB). Most audits of an article look
    up no name at all: a string is decoded when asked for, and `unpacked()` makes the list once,
    for the lookups that fetch thousands at a time.
    """

    def __init__(self, items: list[str]):
        encoded = [item.encode("utf-8", "surrogatepass") for item in items]
        self._blob: bytes | memoryview = b"".join(encoded)
        self._ends = array("Q", accumulate(map(len, encoded)))
        self._unpacked: list[str] | None = None

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        if index < 0:
            index += len(self._ends)
            if index < 0:
                raise IndexError("PackedStrings index out of range")
        end = self._ends[index]  # IndexError past the end
        return str(self._blob[self._ends[index - 1] if index else 0:end], "utf-8", "surrogatepass")

    def unpacked(self) -> list[str]:
        if self._unpacked is None:
            blob, ends = self._blob, self._ends
            text = str(blob, "utf-8", "surrogatepass")
            if len(text) == len(blob):  # ASCII: characters are bytes, the text is cut where the bytes are
                self._unpacked = [text[start:end] for start, end in zip(chain((0,), ends), ends)]
            else:
                self._unpacked = [str(blob[start:end], "utf-8", "surrogatepass")
                                  for start, end in zip(chain((0,), ends), ends)]
        return self._unpacked

    def __reduce_ex__(self, protocol):
        return _packed_strings, (out_of_band(self._blob, protocol), out_of_band(self._ends, protocol))


def out_of_band(block, protocol: int):
    """A block of bytes (or an array) to pickle: out of band where the protocol allows it (the
    compiled-registry cache writes it after the pickle and maps it back), else as it is."""
    if protocol >= 5:
        return pickle.PickleBuffer(block)
    return bytes(block) if isinstance(block, memoryview) else block


def as_array(block, typecode: str) -> array | memoryview:
    """A pickled array as unpickled: the array itself in band, else the buffer the unpickler was
    given (a view of the cache file's map) seen as items of `typecode`. Only indexing, len,
    iteration and bisect are asked of it."""
    return block if isinstance(block, array) else memoryview(block).cast("B").cast(typecode)


def as_bytes(blob) -> bytes | memoryview:
    """A pickled block of bytes as unpickled: bytes in band, else whatever buffer the unpickler was
    given (a view of the cache file's map, a PickleBuffer), seen as bytes."""
    return blob if isinstance(blob, bytes) else memoryview(blob).cast("B")


def _packed_strings(blob, ends) -> PackedStrings:
    packed = PackedStrings.__new__(PackedStrings)
    packed._blob = as_bytes(blob)
    packed._ends, packed._unpacked = as_array(ends, "Q"), None
    return packed


class PackedEntities(Sequence):
    """A registry's entities kept as one pickle each in one buffer, each unpickled when first used.

    A warm start of a large registry spent most of its time and memory building entity objects
    that an audit never touches (a corpus names a few thousand of a million). The buffer may be
    a read-only memory map of the compiled-registry cache: pages are read when an entity is.
    """

    __slots__ = ("ids", "parents", "_blob", "_ends", "_by_id_order", "_found", "_decoded")

    def __init__(self, ids: PackedStrings, parents: dict[str, str], blob, ends: array,
                 by_id_order: array | None = None):
        blob = as_bytes(blob)
        ends = as_array(ends, "Q")
        if len(ids) != len(ends) or (ends and ends[-1] != len(blob)):
            raise ValueError("packed entities: ids, pickles and buffer do not agree")
        self.ids = ids  # packed: a tuple of 1M ids took 0.08 s of every start to unpickle
        self.parents = parents  # id -> parent id of the entities that have one: checked on every run
        self._blob = blob
        self._ends = ends
        # positions sorted by id, searched with a bisect: a dict of every id cost 0.3 s and 100 MB
        # of each start at 1M entities; the ids asked for are remembered in `_found`
        if by_id_order is None:
            by_id_order = array("Q", sorted(range(len(ids)), key=ids.__getitem__))
        by_id_order = as_array(by_id_order, "Q")
        if len(by_id_order) != len(ids):
            raise ValueError("packed entities: ids and their order do not agree")
        self._by_id_order = by_id_order
        self._found: dict[str, int] = {}
        self._decoded: dict[int, Entity] = {}

    @classmethod
    def pack(cls, entities: Iterable[Entity], dumps: Callable[[Entity], bytes]) -> "PackedEntities":
        ids, parents, pickles, ends, end = [], {}, [], array("Q"), 0
        for entity in entities:
            data = dumps(entity)
            ids.append(entity.id)
            if entity.parent:
                parents[entity.id] = entity.parent
            pickles.append(data)
            end += len(data)
            ends.append(end)
        return cls(PackedStrings(ids), parents, b"".join(pickles), ends)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return tuple(self[i] for i in range(*position.indices(len(self.ids))))
        if position < 0:
            position += len(self.ids)
        if not 0 <= position < len(self.ids):
            raise IndexError("entity position out of range")
        entity = self._decoded.get(position)
        if entity is None:
            start = self._ends[position - 1] if position else 0
            entity = pickle.loads(self._blob[start:self._ends[position]])
            self._decoded[position] = entity
        return entity

    def get(self, entity_id: str) -> Entity | None:
        position = self._found.get(entity_id)
        if position is None:
            order, ids = self._by_id_order, self.ids
            i = bisect_right(order, entity_id, key=ids.__getitem__) - 1  # the last of one id, as a dict keeps
            if i < 0 or ids[order[i]] != entity_id:
                return None
            position = self._found[entity_id] = order[i]
        return self[position]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, PackedEntities)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PackedEntities({len(self.ids)} entities)"

    def __reduce_ex__(self, protocol):
        return PackedEntities, (self.ids, self.parents, *(out_of_band(block, protocol) for block in
                                                         (self._blob, self._ends, self._by_id_order)))


@dataclass(frozen=True)
class Registry:
    entities: tuple[Entity, ...] | PackedEntities = ()
    events: tuple[Event, ...] = ()
    facts: tuple[Fact, ...] = ()
    domains: tuple[SourceDomain, ...] = ()
    signatures: tuple[Signature, ...] = ()
    fingerprint: str = ""
    paths: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        packed = isinstance(self.entities, PackedEntities)
        object.__setattr__(self, "_by_id", {**({} if packed else {e.id: e for e in self.entities}),
                                           **{e.id: e for e in self.events}})
        object.__setattr__(self, "_packed", self.entities if packed else None)
        facts_by_subject: dict[str, list[Fact]] = {}
        for fact in self.facts:
            facts_by_subject.setdefault(fact.subject, []).append(fact)
        object.__setattr__(self, "_facts_by_subject",
                           {k: tuple(v) for k, v in facts_by_subject.items()})
        object.__setattr__(self, "_domains", {d.domain: d for d in self.domains})

    def get(self, thing_id: str) -> Entity | Event | None:
        found = self._by_id.get(thing_id)
        if found is None and self._packed is not None:
            found = self._packed.get(thing_id)  # an event of the same id comes first, as when unpacked
            if found is not None:
                self._by_id[thing_id] = found  # asked for again and again: as fast as unpacked from now on
        return found

    def entity(self, entity_id: str) -> Entity | None:
        """The entity of this id (`get` prefers an event of the same id); a scan when not packed."""
        if self._packed is not None:
            return self._packed.get(entity_id)
        return next((e for e in self.entities if e.id == entity_id), None)

    def parents(self) -> dict[str, str]:
        """id -> parent id of every entity that has a parent (packed entities stay packed)."""
        if self._packed is not None:
            return self._packed.parents
        return {e.id: e.parent for e in self.entities if e.parent}

    def with_packed_entities(self, dumps: Callable[[Entity], bytes]) -> "Registry":
        """This registry with its entities packed (`PackedEntities`), for the cache to store."""
        packed = replace(self, entities=PackedEntities.pack(self.entities, dumps))
        object.__setattr__(packed, "_source_count", self.source_count())
        return packed

    def source_count(self) -> int:
        """How many distinct source URLs the registry cites; counted once (it reads every record)."""
        count = self.__dict__.get("_source_count")
        if count is None:
            count = sum(1 for _ in self.sources())
            object.__setattr__(self, "_source_count", count)
        return count

    def facts_about(self, subject: str, prop: str | None = None) -> tuple[Fact, ...]:
        facts = self._facts_by_subject.get(subject, ())
        return tuple(f for f in facts if prop is None or f.property == prop)

    def domain(self, host: str | None) -> SourceDomain | None:
        """The registry entry for a host name or any of its parent domains."""
        if not host:
            return None
        host = host.lower().strip(".")
        if host.startswith("www."):
            host = host[4:]
        parts = host.split(".")
        for i in range(len(parts) - 1):
            entry = self._domains.get(".".join(parts[i:]))
            if entry:
                return entry
        return None

    def sources(self) -> Iterator[Source]:
        seen: set[str] = set()
        groups = [e.sources for e in self.entities] + [e.sources for e in self.events]
        groups += [f.sources() for f in self.facts] + [d.sources for d in self.domains]
        groups += [s.sources for s in self.signatures]
        for group in groups:
            for source in group:
                if source.url not in seen:
                    seen.add(source.url)
                    yield source
