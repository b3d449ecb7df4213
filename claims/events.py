"""Recognise registry events in a clause from their aliases, keywords, places and triggers.

"the May 2020 attack on a maternity hospital in Kabul" names no event, but a keyword
(maternity hospital) with a place (Kabul) identifies one; a place and a trigger word identify one
only with the right date. A year in the clause that differs from the event's rules it out, so
similar attacks in other years stay apart.
"""
from __future__ import annotations

from dataclasses import dataclass

from references.index import RegistryIndex, TermHit
from references.model import Event

from .model import Span

WEIGHTS = {"alias": 4, "venue": 3, "keyword": 2, "place": 1, "trigger": 1}


@dataclass(frozen=True)
class EventMatch:
    event: Event
    score: int
    reason: str
    date_matches: bool
    spans: tuple[Span, ...] = ()  # where its identifying terms are

    def near(self, span: Span, before: int = 160, after: int = 80) -> bool:
        """Is one of the event's terms close to `span` (a figure far away may be about another event)?"""
        return any(span.start - before <= s.end and s.start <= span.end + after for s in self.spans)


YEAR_REACH_BEFORE = 80   # a date describes an event when it is this close to the event's words
YEAR_REACH_AFTER = 30


def recognise_events(index: RegistryIndex, hits: list[TermHit], span: Span,
                     dates: list[tuple[int, int | None, Span]], mentioned_entities: set[str],
                     loose: bool = False) -> list[EventMatch]:
    """Events identified inside `span`, best first. `dates` are (year, month, where) stated in it.

    Only dates close to an event's own words count for or against it, so "the Manchester Arena
    bombing killed 22 and the 2016 Brussels bombings killed 32" keeps both events. `loose` also
    accepts a keyword with a trigger: used to check a date, where a wrong match can only make the
    date unverified, never contradicted.
    """
    by_event: dict[str, dict[str, list[TermHit]]] = {}
    for hit in hits:
        if span.start <= hit.start and hit.end <= span.end:
            by_event.setdefault(hit.event_id, {}).setdefault(hit.kind, []).append(hit)
    matches = []
    for event_id, kinds in by_event.items():
        if "alias" not in kinds and "venue" not in kinds and "keyword" not in kinds and \
                not ("place" in kinds and "trigger" in kinds):
            continue  # identified by none of the rules below: "killed" alone names no event
        event = index.registry.get(event_id)
        if event is None:
            continue
        has = {kind: bool(kinds.get(kind)) for kind in WEIGHTS}
        actor = any(a in mentioned_entities for a in event.actors)
        # the event's extent: its own words, not trigger words that may belong to the next event
        terms_at = [h for kind in ("alias", "venue", "keyword", "place") for h in kinds.get(kind, ())] \
            or kinds.get("trigger", [])
        first, last = min(h.start for h in terms_at), max(h.end for h in terms_at)
        years = [(y, m) for y, m, where in dates
                 if first - YEAR_REACH_BEFORE <= where.start and where.end <= last + YEAR_REACH_AFTER]
        if event.kind == "statistic":
            identified = has["alias"] or (has["keyword"] and has["trigger"] and (actor or has["place"]))
        else:
            # a keyword alone ("Easter", "maternity hospital") fits other attacks too: it needs the
            # place or the date as well
            dated = _date_agrees(event, years) is True
            identified = has["alias"] or (has["venue"] and (has["trigger"] or has["place"] or dated)) \
                or (has["keyword"] and (has["place"] or dated or (loose and has["trigger"]))) \
                or (has["place"] and has["trigger"] and dated)
        if not identified:
            continue
        agrees = _date_agrees(event, years)
        if agrees is False:
            continue
        score = sum(WEIGHTS[k] for k in WEIGHTS if has[k]) + (2 if actor else 0) + (2 if agrees else 0)
        terms = []
        for kind in WEIGHTS:
            if kinds.get(kind):
                terms.append(f"{kind} '{kinds[kind][0].term}'")
        if actor:
            terms.append("actor named")
        if agrees:
            terms.append("date agrees")
        spans = tuple(Span(h.start, h.end) for kind in ("alias", "venue", "keyword", "place")
                      for h in kinds.get(kind, ()))
        matches.append(EventMatch(event, score, ", ".join(terms), bool(agrees), spans))
    matches.sort(key=lambda m: (-m.score, m.event.id))
    return matches


def _date_agrees(event: Event, years: list[tuple[int, int | None]]) -> bool | None:
    """True if a stated year (and month) fits the event, False if one contradicts it, None if none."""
    if not years or event.date is None:
        return None
    verdict = None
    for year, month in years:
        if year != event.date.year:
            if verdict is None:
                verdict = False
            continue
        if month and event.date.month and month != event.date.month:
            if verdict is None:
                verdict = False
            continue
        return True
    return verdict


def best_event(matches: list[EventMatch]) -> EventMatch | None:
    """The single best event, or None when two are equally likely."""
    if not matches:
        return None
    if len(matches) > 1 and matches[1].score == matches[0].score:
        return None
    return matches[0]
