"""Extract every checkable claim from a document: named bodies, quantities and dates.

`extract_claims(document, index)` is a pure function of the document and the registry index.
Each quantity and date is bound to its subject (an event recognised in the clause, or the body the
clause is about) and the claim records why, so a reader can follow the reasoning.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from references.index import NameHit, RegistryIndex
from references.model import Entity, Event
from references.normalize import fold, fold_key, fold_letters

from .dates import DateMatch, find_dates, find_relative_dates
from .entities import OrgName, find_local_definitions, find_org_names, find_suspect_acronyms
from .events import EventMatch, best_event, recognise_events
from .lexicon import Lexicon, lexicon
from .model import Claim, ClaimType, DateValue, Document, Span, Subject
from .numbers import find_numbers
from .quantities import QuantityCandidate, find_quantities
from .segment import clauses, sentences
from .tokens import Token, phrase_ends_at, phrase_starts_at, tokenize

EVENT_PROPERTIES = frozenset({"deaths", "injuries", "deaths_including_perpetrators", "injuries_including_perpetrators"})
NEAR_BEFORE = 160   # characters between an event's words and a figure about it
NEAR_AFTER = 80
_RELATIVE = (", which", ", who", ", that", " which ", ", qui", " qui ", ", dont", ", lequel", ", laquelle")
_MEMBERS_OF = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:members?|member states|countries|nations|states|allies|partners|"
                        r"membres|[ée]tats membres|pays|alli[ée]s)\s+(?:of|in|de|du|des|d['’])\s*(?:the\s+|la\s+|l['’]\s*|les\s+)?\Z",
                        re.IGNORECASE)
_MEMBERS_OF_NAME = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:members?|membres|[ée]tats membres|pays)\s+(?:of|de|du|des|d['’])"
                             r"\s*(?:the\s+|la\s+|l['’]\s*|les\s+)?[A-Z]")
_QUOTES = {"“": "”", "«": "»", '"': '"'}
_ADVERBS = frozenset("initially officially formally originally first jointly also later formellement officiellement "
                     "initialement d abord".split())


@dataclass
class _Context:
    document: Document
    index: RegistryIndex
    lex: Lexicon
    folded: str
    letters: str
    hits: list[NameHit]
    org_names: list[OrgName]
    mentioned: set[str]
    previous_events: list[EventMatch] | None = None  # events of the previous sentence, when this one names none
    previous_hits: list[NameHit] | None = None        # bodies named in the previous sentence of the paragraph


def _within(items: list, starts: list[int], span: Span) -> list:
    """The items (sorted by start, `starts` their starts) that lie inside `span`: a bisect, not a scan."""
    lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
    return [item for item in items[lo:hi] if item.end <= span.end]


def extract_claims(document: Document, index: RegistryIndex) -> tuple[Claim, ...]:
    text = document.text
    body = document.body or Span(0, len(text))
    lex = lexicon(document.language)
    folded = fold(text)
    all_sentences = sentences(text, body.start, body.end)
    org_names: list[OrgName] = []
    for sentence in all_sentences:
        org_names.extend(find_org_names(text, sentence, document.language))
    hits = [h for h in index.find_names(text, folded) if body.start <= h.start and h.end <= body.end]
    hits = _apply_context(hits, index, org_names)
    context = _Context(document, index, lex, folded, fold_letters(text), hits, org_names,
                       {h.entity_id for h in hits})
    term_hits = [h for h in index.find_event_terms(text, folded) if body.start <= h.start and h.end <= body.end]

    claims: list[Claim] = []
    claims.extend(_entity_claims(context, all_sentences))
    # the sentence before: its span, event terms, dates and events (None: not worked out yet)
    previous: tuple[Span, list, list, list | None] | None = None
    hit_starts = [h.start for h in hits]
    term_starts = [h.start for h in term_hits]
    org_starts = [o.span.start for o in org_names]
    for sentence in all_sentences:
        sentence_terms = _within(term_hits, term_starts, sentence)
        sentence_numbers = find_numbers(text, sentence.start, sentence.end, document.language)
        sentence_dates = find_dates(context.letters, sentence, lex)
        relative = [d for d in find_relative_dates(context.letters, sentence, lex, document.published)
                    if not any(d.span.overlaps(x.span) for x in sentence_dates)]
        sentence_dates = sorted(sentence_dates + relative, key=lambda d: d.span.start)
        sentence_years = [(d.value.year, d.value.month, d.span) for d in sentence_dates]
        before, previous = previous, (sentence, sentence_terms, sentence_years, None)
        if not sentence_numbers and not sentence_dates:
            continue  # quantity and date claims start from a number or a date: none here
        # everything below looks only at this sentence's names and terms, so the work stays linear
        # built field by field: dataclasses.replace looks the fields up again on every call (20 µs)
        local = _Context(document=document, index=index, lex=lex, folded=folded, letters=context.letters,
                         hits=_within(hits, hit_starts, sentence),
                         org_names=_within_orgs(org_names, org_starts, sentence), mentioned=context.mentioned)
        sentence_events = recognise_events(index, sentence_terms, sentence, sentence_years, context.mentioned)
        previous = (sentence, sentence_terms, sentence_years, sentence_events)
        local.previous_events = []
        local.previous_hits = []
        same_paragraph = before is not None and "\n\n" not in text[before[0].end:sentence.start]
        if same_paragraph:
            local.previous_hits = _within(hits, hit_starts, before[0])
        if same_paragraph and not [m for m in sentence_events if m.event.kind != "statistic"]:
            before_events = before[3] if before[3] is not None else \
                recognise_events(index, before[1], before[0], before[2], context.mentioned)
            local.previous_events = [m for m in before_events if m.event.kind != "statistic"]
        for clause in clauses(text, sentence):
            numbers = [n for n in sentence_numbers if clause.start <= n.span.start and n.span.end <= clause.end]
            dates = [d for d in sentence_dates if clause.start <= d.span.start and d.span.end <= clause.end]
            if not numbers and not dates:
                continue
            if clause == sentence:  # one clause: its dates are the sentence's, so are its events
                events = sentence_events
            else:
                years = [(d.value.year, d.value.month, d.span) for d in dates]
                events = recognise_events(index, sentence_terms, clause, years, context.mentioned)
            tokens = tokenize(folded, clause, numbers)
            excluded = [d.span for d in dates] + [Span(h.start, h.end) for h in local.hits] + \
                [o.span for o in local.org_names] + _day_month_spans(context.letters, clause, lex) + \
                [Span(h.start, h.end) for h in sentence_terms if h.kind in ("alias", "venue", "keyword")]
            quantities = find_quantities(text, tokens, numbers, lex, excluded)
            claims.extend(_quantity_claims(local, quantities, clause, sentence, tokens, events, sentence_events,
                                           dates))
            if dates:
                undated_events = recognise_events(index, sentence_terms, clause, [], context.mentioned, loose=True)
                claims.extend(_date_claims(local, dates, clause, sentence, tokens, undated_events))
    claims.sort(key=lambda c: (c.span.start, c.span.end, c.claim_type.value, c.property))
    return tuple(claims)


def _day_month_spans(letters: str, span: Span, lex: Lexicon) -> list[Span]:
    """'the 13 November attacks', 'on July 14': a day of a month is not a count."""
    pattern = _day_month_pattern(tuple(lex.months))
    return [Span(m.start(), m.end()) for m in pattern.finditer(letters, span.start, span.end)]


@lru_cache(maxsize=4)
def _day_month_pattern(month_names: tuple[str, ...]) -> re.Pattern[str]:
    months = "|".join(sorted(map(re.escape, month_names), key=len, reverse=True))
    return re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?[\s-]+(?:{months})\b|\b(?:{months})\s+\d{{1,2}}\b")


def _within_orgs(org_names: list[OrgName], starts: list[int], span: Span) -> list[OrgName]:
    lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
    return [o for o in org_names[lo:hi] if o.span.end <= span.end]


# --------------------------------------------------------------------------- entities

CONTEXT_REACH = 1500  # characters: a misnomer needs the body it stands for nearby, not just anywhere


def _apply_context(hits: list[NameHit], index: RegistryIndex, org_names: list[OrgName]) -> list[NameHit]:
    """Drop misnomer hits whose context is absent and acronyms the document defines otherwise."""
    registry = index.registry
    real = [h for h in hits if (e := registry.get(h.entity_id)) is not None and isinstance(e, Entity) and e.exists]
    local = find_local_definitions(org_names)
    kept = []
    for hit in hits:
        entity = registry.get(hit.entity_id)
        if isinstance(entity, Entity) and entity.requires_context and not any(
                h.entity_id in entity.requires_context and abs(h.start - hit.start) <= CONTEXT_REACH for h in real) \
                and not _names_context_itself(hit, entity, registry):
            continue
        if hit.kind == "acronym" and hit.surface in local:
            definition = local[hit.surface]
            same_place = definition.acronym_span and definition.acronym_span.start <= hit.start < definition.acronym_span.end
            if not same_place and not _definition_names(definition, hits, hit.entity_id, registry):
                continue
        kept.append(hit)
    return kept


def _names_context_itself(hit: NameHit, entity: Entity, registry) -> bool:
    """'NATO Counter-Terrorism Intelligence Fusion Centre' carries its own context: NATO."""
    words = f" {hit.surface} "
    for context_id in entity.requires_context:
        context = registry.get(context_id)
        if isinstance(context, Entity) and any(f" {a} " in words for a in context.acronyms):
            return True
    return False


def _definition_names(definition: OrgName, hits: list[NameHit], entity_id: str, registry) -> bool:
    """Does the locally defined name resolve to `entity_id` (or to the body it stands for)?"""
    entity = registry.get(entity_id)
    targets = {entity_id} | (set(entity.resolves_to) if isinstance(entity, Entity) else set())
    for hit in hits:
        if definition.name_span.start <= hit.start and hit.end <= definition.name_span.end and hit.entity_id in targets:
            return True
    return False


def _covering_hit(hits: list[NameHit], span: Span) -> NameHit | None:
    """A registry hit that is the whole name (allowing a leading article)."""
    for hit in hits:
        if hit.start <= span.start + 4 and hit.end >= span.end and hit.start >= span.start - 1:
            return hit
    return None


def _entity_claims(ctx: _Context, all_sentences: list[Span]) -> list[Claim]:
    text = ctx.document.text
    claims: list[Claim] = []
    consumed: set[tuple[int, int]] = set()

    sentence_starts = [s.start for s in all_sentences]
    hit_starts = [h.start for h in ctx.hits]

    def sentence_of(offset: int) -> Span:
        i = bisect_left(sentence_starts, offset + 1) - 1
        if i >= 0 and all_sentences[i].start <= offset < all_sentences[i].end:
            return all_sentences[i]
        return Span(offset, offset)

    for org in ctx.org_names:
        near = ctx.hits[max(0, bisect_left(hit_starts, org.span.start) - 8):bisect_left(hit_starts, org.span.end)]
        if any(h.start < org.name_span.end and org.name_span.start < h.end and
               (h.start < org.name_span.start or h.end > org.name_span.end) and h.kind == "name" for h in near):
            continue  # part of a longer registry name: "Contre Extrémisme [Projet Europe] (CEP Europe)"
        inside = [h for h in near if org.span.start <= h.start and h.end <= org.span.end]
        name_hit = _covering_hit(inside, org.name_span)
        acronym_hits = [h for h in inside if org.acronym_span and org.acronym_span.start <= h.start
                        and h.end <= org.acronym_span.end + 1]
        if org.acronym is None and name_hit is not None:
            continue  # a plain registry name: the mention claims below handle it
        if org.acronym is None and any(h for h in inside if h.kind == "name"):
            pass
        for h in inside:
            consumed.add((h.start, h.end))
        entity_id = name_hit.entity_id if name_hit else (acronym_hits[0].entity_id if acronym_hits else None)
        match = "name" if name_hit else ("acronym" if acronym_hits else "unknown")
        claims.append(Claim(
            claim_type=ClaimType.ENTITY, text=text[org.span.start:org.span.end], span=org.span,
            sentence=sentence_of(org.span.start), property="acronym" if org.acronym else "existence",
            name=org.name, acronym=org.acronym, entity_id=entity_id, match=match,
            subject=_entity_subject(ctx, entity_id, f"named as '{org.name}'") if entity_id else None,
        ))

    groups: dict[tuple[str, Span], list[NameHit]] = {}
    for hit in ctx.hits:
        if (hit.start, hit.end) in consumed:
            continue
        groups.setdefault((hit.entity_id, sentence_of(hit.start)), []).append(hit)
    for (entity_id, sentence), group in groups.items():
        first = group[0]
        claims.append(Claim(
            claim_type=ClaimType.ENTITY, text=first.surface, span=Span(first.start, first.end),
            sentence=sentence, property="existence", name=first.surface,
            acronym=first.surface if first.kind == "acronym" else None, entity_id=entity_id,
            match="acronym" if first.kind == "acronym" else "alias",
            subject=_entity_subject(ctx, entity_id, f"'{first.surface}' is a registry {first.kind}"),
            occurrences=tuple(Span(h.start, h.end) for h in group[1:]),
        ))

    known = {o.acronym for o in ctx.org_names if o.acronym}
    mentioned_real = {h.entity_id for h in ctx.hits
                      if isinstance(e := ctx.index.registry.get(h.entity_id), Entity) and e.exists}
    for sentence in all_sentences:
        for span, written, entity_id in find_suspect_acronyms(text, sentence, ctx.index, known, mentioned_real):
            claims.append(Claim(
                claim_type=ClaimType.ENTITY, text=written, span=span, sentence=sentence, property="acronym",
                name=written, acronym=written, entity_id=entity_id, match="transposition",
                subject=_entity_subject(ctx, entity_id, f"'{written}' has the letters of a registry acronym"),
            ))
    return claims


def _entity_subject(ctx: _Context, entity_id: str, reason: str) -> Subject:
    entity = ctx.index.registry.get(entity_id)
    name = entity.name if entity else entity_id
    return Subject(entity_id, name, "event" if isinstance(entity, Event) else "entity", reason)


# --------------------------------------------------------------------------- quantities

def _quantity_claims(ctx: _Context, quantities: list[QuantityCandidate], clause: Span, sentence: Span,
                     tokens: list[Token], events: list[EventMatch], sentence_events: list[EventMatch],
                     dates: list[DateMatch] = ()) -> list[Claim]:
    text = ctx.document.text
    out: list[Claim] = []
    previous_subject: Subject | None = None
    bound: set[tuple[str, str]] = set()
    respectively = any(w in ("respectively", "respectivement") for w in fold(text[clause.start:clause.end]).split())
    for candidate in quantities:
        if candidate.subcount and previous_subject is not None:
            subject = Subject(previous_subject.id, previous_subject.name, previous_subject.kind,
                              f"sub-count of the figure before it ({previous_subject.reason})")
        elif respectively and candidate.property in EVENT_PROPERTIES:
            subject = None  # "38 and 27 dead respectively": which figure is whose is left to the reader
        else:
            subject = _bind_quantity(ctx, candidate, clause, sentence, events, sentence_events)
            if subject is not None and subject.kind == "event" and _part_of_event(ctx, candidate, clause, subject):
                candidate = replace(candidate, subcount=True)  # "at the Bataclan alone": one site of several
            if subject is not None and subject.kind == "event":
                key = (subject.id, candidate.property)
                if key in bound:
                    subject = None  # a second toll for the same event: it is about something else
                bound.add(key)
        out.append(Claim(
            claim_type=ClaimType.QUANTITY, text=text[candidate.span.start:candidate.span.end],
            span=candidate.span, sentence=sentence, property=candidate.property, subject=subject,
            quantity=candidate.quantity, group=candidate.unit_words, subcount=candidate.subcount,
            reported=_reported(ctx, sentence, candidate.span),
            when=None if candidate.property in EVENT_PROPERTIES else _stated_time(ctx, candidate, clause, dates),
        ))
        if subject is not None and not candidate.subcount:
            previous_subject = subject
    return out


_TIME_AFTER = re.compile(r"\A[^\d.;]{0,40}?\b(?:in|en|by|as of|at the end of|au|fin|d[ée]but)\s+\Z", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"\A\s*(?:in|en|by|as of|au|fin|d[ée]but)\s+\Z", re.IGNORECASE)


_UNDATED_PAST = re.compile(r"\b(?:then|at the time|at that time|back then|in those days|à l['’]époque|"
                           r"à cette époque|en ce temps-là)\b", re.IGNORECASE)


def _stated_time(ctx: _Context, candidate: QuantityCandidate, clause: Span, dates: list[DateMatch]) -> DateValue | None:
    """'12 members in 1949', 'In 2001, NATO had 19 members': the figure speaks of that time.
    'The alliance then had 19 members' speaks of a past the clause does not date: year 0."""
    text = ctx.document.text
    if _UNDATED_PAST.search(text[clause.start:candidate.number_span.start]):
        return DateValue(0)
    for date in dates:
        if date.value.resolved_from:
            continue
        if date.span.start >= candidate.span.end and _TIME_AFTER.match(text[candidate.span.end:date.span.start]):
            return date.value
        if date.span.end <= candidate.number_span.start and _TIME_BEFORE.match(text[clause.start:date.span.start]) \
                and not re.search(r"\d", text[date.span.end:candidate.number_span.start]):
            return date.value
    return None


_AND_MORE = re.compile(r"\A\s*[\w'’-]+(?:\s+[\w'’-]+)?\s+(?:and|et)\s+(?:the|a|an|le|la|les|un|une|l['’])\s*"
                       r"([a-zà-ÿ][\w-]*)")


def _part_of_event(ctx: _Context, candidate: QuantityCandidate, clause: Span, subject: Subject) -> bool:
    """A figure for one site of a multi-site attack ('at the Bataclan') or for one group among
    others ('two women and the sacristan') is not the event's toll."""
    text = ctx.document.text
    more = _AND_MORE.match(text[candidate.number_span.end:clause.end])
    if more and candidate.property in EVENT_PROPERTIES and fold_key(more.group(1)) not in ctx.lex.event_nouns:
        return True
    event = ctx.index.registry.get(subject.id)
    if not isinstance(event, Event):
        return False
    venues = {fold_key(v) for v in event.venues.all()}
    distinct = {v for v in venues if not any(v != w and v in w for w in venues)}
    if len(distinct) < 2:
        return False
    # one venue of several named near the figure: "aboard Flight 93", "at the Bataclan concert hall"
    near = fold(text[max(clause.start, candidate.number_span.start - 120):candidate.span.end])
    return any(f" {v} " in f" {near} " for v in distinct) and not any(
        f" {fold_key(a)} " in f" {near} " for a in event.aliases.all())


@lru_cache(maxsize=4)
def _reporting_cues(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cues before and after a reported figure, as ' word word ' texts: joined once, not per figure."""
    lex = lexicon(language)
    return tuple(f" {' '.join(cue)} " for cue in lex.reported_claim_cues), \
        tuple(f" {' '.join(cue)} " for cue in lex.reported_claim_after)


def _reported(ctx: _Context, sentence: Span, span: Span) -> bool:
    """Does the sentence report the figure as someone else's claim, or quote it?"""
    before = " " + " ".join(fold(ctx.document.text[sentence.start:span.start]).split()) + " "
    after = " " + " ".join(fold(ctx.document.text[span.end:sentence.end]).split()) + " "
    for words, cues in zip((before, after), _reporting_cues(ctx.lex.language)):
        # a cue's words in a row among the sentence's words (none of them holds a space)
        if any(cue in words for cue in cues):
            return True
    text = ctx.document.text
    for opening, closing in _QUOTES.items():
        start = text.rfind(opening, sentence.start, span.start)
        if start != -1 and opening != closing:
            if text.find(closing, start + 1, span.start) == -1 and text.find(closing, span.end, sentence.end) != -1:
                return True
        elif start != -1 and text.count(opening, sentence.start, span.start) % 2 == 1 \
                and text.find(closing, span.end, sentence.end) != -1:
            return True
    return False


def _event_subject(match: EventMatch, where: str) -> Subject:
    return Subject(match.event.id, match.event.name, "event", f"event recognised in the {where}: {match.reason}")


def _bind_quantity(ctx: _Context, candidate: QuantityCandidate, clause: Span, sentence: Span,
                   events: list[EventMatch], sentence_events: list[EventMatch]) -> Subject | None:
    registry = ctx.index.registry
    prop = candidate.property
    if prop in EVENT_PROPERTIES:
        for matches, where in ((events, "same clause"), (sentence_events, "same sentence")):
            best = _nearest_event(ctx, [m for m in matches if m.event.kind != "statistic"], candidate)
            if best:
                return _event_subject(best, where)
        return _event_of_previous_sentence(ctx, candidate, sentence)
    statistics = [m for m in events if m.event.kind == "statistic" and registry.facts_about(m.event.id, prop)]
    statistics = statistics or [m for m in sentence_events if m.event.kind == "statistic"
                                and registry.facts_about(m.event.id, prop)]
    if statistics:
        best = best_event(statistics)
        if best:
            return _event_subject(best, "same sentence")
    return _bind_to_entity(ctx, candidate, clause)


_REFERENCE_POINT = re.compile(r"\b(?:after|since|before|years? after|months? after|anniversary|again|once more|another"
                              r"|apr[èe]s|depuis|avant|anniversaire|de nouveau|[àa] nouveau|encore|un autre|une autre)\b",
                              re.IGNORECASE)


def _reference_point(ctx: _Context, match: EventMatch) -> bool:
    """Is the event of the previous sentence only a point of reference for a new one?"""
    if not ctx.previous_hits and not match.spans:
        return False
    first = min(s.start for s in match.spans)
    sentence_start = ctx.document.text.rfind("\n", 0, first) + 1
    before_event = ctx.document.text[max(sentence_start, first - 60):first]
    if _REFERENCE_POINT.search(before_event):
        return True
    # the sentence naming the event goes on to say something happened again, or dates another year
    end = max(s.end for s in match.spans)
    after_event = ctx.document.text[end:end + 200].split(".")[0]
    if re.search(r"\b(?:again|once more|de nouveau|[àa] nouveau)\b", after_event, re.IGNORECASE):
        return True
    around = ctx.document.text[max(sentence_start, first - 200):end + 200].split("\n")[0]
    year = match.event.date.year if match.event.date else None
    return any(int(y) != year for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", around)) if year else False


_DETERMINERS = frozenset("the this that these those its their l la le les cet cette ces ce leur leurs".split())


def _event_of_previous_sentence(ctx: _Context, candidate: QuantityCandidate, sentence: Span) -> Subject | None:
    """'The Nice truck attack shocked France. Eighty-six people were killed.' The sentence names no
    event, so its toll is about the one just named, if nothing in it points elsewhere: no new
    event noun (only 'the attack'), no other year, no new capitalised name."""
    matches = ctx.previous_events or []
    if not matches:
        return None
    match = max(matches, key=lambda m: max((s.end for s in m.spans), default=0))
    if _reference_point(ctx, match):
        return None  # "Seven years after the Brussels bombings, the city was struck again. The attack killed two"
    if len({m.event.id for m in matches}) > 1 and sum(1 for m in matches if m.score == match.score) > 1:
        return None
    text = ctx.document.text
    before = text[sentence.start:candidate.span.start]
    whole = text[sentence.start:sentence.end]
    words = fold(before).split()
    for i, word in enumerate(words):
        if word in ctx.lex.event_nouns and (i == 0 or words[i - 1] not in _DETERMINERS):
            return None
        if word.isdigit() and len(word) == 4 and 1800 < int(word) < 2100 and match.event.date and \
                int(word) != match.event.date.year:
            return None
    own = {fold(t) for t in (*match.event.places, *match.event.venues.all(), *match.event.keywords.all())}
    for m in re.finditer(r"(?<=\s)[A-ZÀ-Ý][\w-]+", whole):  # "17 people were killed in Paris and Montrouge"
        if fold(m.group()).strip() not in own:
            return None
    return Subject(match.event.id, match.event.name, "event",
                   f"event recognised in the previous sentence ({match.reason}); this one names no other")


def _nearest_event(ctx: _Context, matches: list[EventMatch], candidate: QuantityCandidate) -> EventMatch | None:
    """The event named closest before the figure (or just after it), with no other event between.

    In "the Sousse attack killed 38, and the 2004 Beslan siege killed 330", Beslan is not in the
    registry, but its event noun and its year stand between Sousse and 330, so 330 stays unbound.
    """
    number = candidate.number_span
    text = ctx.document.text
    best, best_distance = None, None
    for match in matches:
        before = [s for s in match.spans if s.end <= number.start]
        after = [s for s in match.spans if s.start >= number.end]
        if before:
            term = max(before, key=lambda s: s.end)
            distance = number.start - term.end
            if distance > NEAR_BEFORE or _another_event_between(ctx, text[term.end:candidate.span.start], match):
                continue
        elif after:
            term = min(after, key=lambda s: s.start)
            distance = term.start - number.end
            if distance > NEAR_AFTER or _another_event_between(ctx, text[number.end:term.start], match):
                continue
            distance += NEAR_BEFORE  # a figure usually follows what it counts
        else:
            continue
        if best_distance is None or distance < best_distance:
            best, best_distance = match, distance
    return best


def _another_event_between(ctx: _Context, between: str, match: EventMatch) -> bool:
    """An event noun a few words on, or a year that is not this event's, means another event."""
    words = fold(between).split()
    if any(word in ctx.lex.event_nouns for word in words[3:]):
        return True
    year = match.event.date.year if match.event.date else None
    return any(w.isdigit() and len(w) == 4 and 1800 < int(w) < 2100 and int(w) != year for w in words)


def _bind_to_entity(ctx: _Context, candidate: QuantityCandidate, clause: Span) -> Subject | None:
    """The body a count is about: the antecedent of 'which', else the nearest one named before it."""
    registry = ctx.index.registry
    text = ctx.document.text
    number_start = candidate.number_span.start
    mentions = []
    for hit in ctx.hits:
        entity = registry.get(hit.entity_id)
        if not (clause.start <= hit.start and hit.end <= clause.end) or not isinstance(entity, Entity) or not entity.exists:
            continue
        between = text[hit.end:candidate.span.start]
        if hit.end <= candidate.span.start and _coordinated(between):
            continue  # "NATO and seven countries": NATO is counted alongside, not the owner
        mentions.append(hit)
    if not mentions:
        return _anaphoric_subject(ctx, candidate, clause)

    def has_fact(hit: NameHit) -> bool:
        return bool(registry.facts_about(hit.entity_id, candidate.property))

    inside = [h for h in mentions if candidate.number_span.end <= h.start and h.end <= candidate.span.end]
    if inside and candidate.property == "members":
        if _whole_membership(text, clause, candidate):
            return _entity_subject(ctx, inside[0].entity_id, f"'the … {inside[0].surface} members' counts them all")
        return None  # "23 EU member states are also NATO allies": a part of the membership, not its size

    for hit in mentions:  # "all six members of the Gulf Cooperation Council": the body named after 'of'
        if hit.start >= candidate.number_span.end and _MEMBERS_OF.match(text[candidate.number_span.end:hit.start]):
            if not _whole_membership(text, clause, candidate):
                return None  # "neuf Alliés de l'OTAN", "23 États membres de l'UE": some of them
            return _entity_subject(ctx, hit.entity_id, f"the figure counts members of '{hit.surface}'")
    if _MEMBERS_OF_NAME.match(text, candidate.number_span.end, clause.end):
        return None  # members of a body the registry does not know

    before = [h for h in mentions if h.end <= number_start]
    for hit in reversed(before):
        between = text[hit.end:number_start].lower()
        if any(marker in between[:12] for marker in _RELATIVE) and has_fact(hit):
            return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is what the relative clause describes")
    with_fact = [h for h in before if has_fact(h)]
    if with_fact:
        hit = with_fact[-1]
        return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is the nearest body named before the figure")
    if not before and _ANAPHORA.search(text[clause.start:number_start]):
        return _anaphoric_subject(ctx, candidate, clause)  # "The coalition already has more than 60 members, and … NATO"
    after = [h for h in mentions if h.start >= candidate.span.end and has_fact(h)]
    if after:
        hit = after[0]
        return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is named in the same clause")
    if before:
        hit = before[-1]
        return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is the nearest body named before the figure")
    return None


_ANAPHORA = re.compile(
    r"\b(?:its|their|the\s+(?:alliance|bloc|organi[sz]ation|union|coalition|group|forum|body|partnership)(?:['’]s)?"
    r"|son|sa|ses|leurs?|l['’](?:alliance|organisation|union)|le\s+(?:bloc|groupe|forum)|la\s+coalition)\b",
    re.IGNORECASE)


def _anaphoric_subject(ctx: _Context, candidate: QuantityCandidate, clause: Span) -> Subject | None:
    """'The alliance now has 32 members', 'ses 32 membres': the body the sentence before named.

    Only a body with a figure for this property counts, and only when exactly one such body was
    named: otherwise the reference is ambiguous and the figure stays unbound.
    """
    if candidate.property == "count":
        return None
    text = ctx.document.text
    before = text[clause.start:candidate.number_span.start]
    anaphor = None
    for match in _ANAPHORA.finditer(before):
        anaphor = match
    if anaphor is None:
        return None
    registry = ctx.index.registry
    named = [h for h in ctx.previous_hits or () if registry.facts_about(h.entity_id, candidate.property)]
    if len({h.entity_id for h in named}) != 1:
        return None
    hit = named[-1]
    return _entity_subject(ctx, hit.entity_id, f"'{anaphor.group()}' refers to '{hit.surface}', named in the "
                                               "sentence before")


def _whole_membership(text: str, clause: Span, candidate: QuantityCandidate) -> bool:
    """'the 27 EU member states', 'all six members of', 'ses 32 Alliés': the whole membership.
    A bare '23 EU member states' or 'neuf Alliés de l'OTAN' may be a part of it."""
    before = fold(text[clause.start:candidate.number_span.start]).split()[-2:]
    return bool(before) and before[-1] in ("the", "all", "its", "their", "les", "ses", "tous", "leurs", "nos", "our")


def _coordinated(between: str) -> bool:
    """'NATO and seven countries': NATO is listed beside the count. 'Interpol and its 195
    members' is not coordination: the possessive points back to Interpol."""
    words = between.strip().lower().split()
    if any(w in ("its", "their", "ses", "son", "sa", "leurs", "leur") for w in words[1:]):
        return False
    return bool(words) and len(words) <= 3 and words[0] in ("and", "et", "&", "with", "avec", "plus")


# --------------------------------------------------------------------------- dates

def _date_claims(ctx: _Context, dates: list[DateMatch], clause: Span, sentence: Span, tokens: list[Token],
                 undated_events: list[EventMatch]) -> list[Claim]:
    text = ctx.document.text
    out = []
    hit_spans = [Span(h.start, h.end) for h in ctx.hits]
    for date in dates:
        if any(date.span.overlaps(s) for s in hit_spans):
            continue  # part of a name such as "2017 Action Plan"
        subject = _founding_subject(ctx, date, clause, tokens)
        prop = "founded"
        if subject is None:
            best = _event_near_date(ctx, [m for m in undated_events if m.event.kind != "statistic"], date)
            if best is not None:
                subject = _event_subject(best, "same clause")
                prop = "event_date"
            else:
                prop = "date"
        out.append(Claim(
            claim_type=ClaimType.DATE, text=text[date.span.start:date.span.end], span=date.span,
            sentence=sentence, property=prop, subject=subject, date=date.value,
            reported=_reported(ctx, sentence, date.span),
        ))
    return out


def _event_near_date(ctx: _Context, matches: list[EventMatch], date: DateMatch) -> EventMatch | None:
    """The event whose words are closest to the date (inside its name, or within a few words)."""
    best, best_distance = None, None
    for match in matches:
        for span in match.spans:
            if span.start <= date.span.start and date.span.end <= span.end:
                distance = 0  # "the 2016 Brussels bombings": the date is part of the name
            elif span.end <= date.span.start:
                distance = date.span.start - span.end
            else:
                distance = span.start - date.span.end
            if distance > 60 or _another_event_between(
                    ctx, ctx.document.text[min(span.end, date.span.end):max(span.start, date.span.start)], match):
                continue
            if best_distance is None or distance < best_distance:
                best, best_distance = match, distance
    return best


def _name_after_preposition(tokens: list[Token], j: int, text: str, prepositions) -> bool:
    """Is tokens[j] part of a capitalised name that follows 'in', 'by'…? ('set up the Office' is not)."""
    k = j
    while k > 0 and text[tokens[k - 1].start:tokens[k - 1].start + 1].isupper():
        k -= 1
    return k > 0 and tokens[k - 1].key in prepositions


def _founding_noun_subject(ctx: _Context, tokens: list[Token], j: int, date: DateMatch,
                           clause: Span) -> Subject | None:
    """'since its launch in September 2014', 'depuis sa création en 2001': the body named before."""
    lex = ctx.lex
    for noun in lex.founding_nouns:
        if phrase_ends_at(tokens, j, noun) and j - len(noun) >= 0 and tokens[j - len(noun)].key in lex.possessives:
            owner_before = tokens[j - len(noun)].start
            before = [h for h in ctx.hits if h.end <= owner_before and isinstance(ctx.index.registry.get(h.entity_id), Entity)
                      and ctx.index.registry.get(h.entity_id).exists]
            if not before:  # "… the SCO met. Since its creation in 2001, …"
                before = [h for h in ctx.previous_hits or () if isinstance(ctx.index.registry.get(h.entity_id), Entity)
                          and ctx.index.registry.get(h.entity_id).exists]
            if before:
                hit = before[-1]
                phrase = ctx.document.text[tokens[j - len(noun)].start:date.span.end]
                return _entity_subject(ctx, hit.entity_id, f"'{phrase}' refers back to '{hit.surface}'")
    return None


def _founding_subject(ctx: _Context, date: DateMatch, clause: Span, tokens: list[Token]) -> Subject | None:
    """'X was founded in 2015', 'X, founded in 1949', 'fondée en 2005', 'Founded in 1949, X'."""
    lex = ctx.lex
    first = next((i for i, t in enumerate(tokens) if t.start >= date.span.start), None)
    if first is None:
        return None
    # the founding verb comes right before the date ("founded in [May] 2015", "créé le 15 juin 2001"),
    # or before a place or founder: "founded in Dhaka in 1985", "founded by Mohammed Yusuf in 2002"
    text = ctx.document.text
    j = first - 1
    skipped = 0
    prepositions = ("in", "on", "en", "le", "au", "of", "since", "depuis", "dans", "by", "par", "at", "a")
    while j >= 0 and skipped < 8:
        key = tokens[j].key
        if key in prepositions:
            j -= 1
        elif text[tokens[j].start:tokens[j].start + 1].isupper() and _name_after_preposition(tokens, j, text, prepositions):
            j -= 1  # a place or founder: "founded in Dhaka in 1985", "founded by Mohammed Yusuf in 2002"
        else:
            break
        skipped += 1
    verb_end = None
    for phrase in lex.founding_verbs:
        if phrase_ends_at(tokens, j, phrase):
            verb_end = j
            j = j - len(phrase)
            break
    if verb_end is None:
        return _founding_noun_subject(ctx, tokens, j, date, clause)
    # skip auxiliaries and adverbs back to the subject: "was initially founded", "a été créée"
    k = j
    while k >= 0:
        matched = next((p for p in lex.passive_auxiliaries if phrase_ends_at(tokens, k, p)), None)
        if matched:
            k -= len(matched)
        elif tokens[k].key in _ADVERBS:
            k -= 1
        else:
            break
    if k < 0:
        # "Founded in 1949, NATO ...": the subject comes right after the date's comma
        after = [h for h in ctx.hits if h.start >= date.span.end and h.end <= clause.end
                 and isinstance(ctx.index.registry.get(h.entity_id), Entity)
                 and re.fullmatch(r"\s*,\s*(?:the\s+|l['’]|la\s+|le\s+)?", text[date.span.end:h.start], re.IGNORECASE)]
        if after:
            return _entity_subject(ctx, after[0].entity_id, "the body named after 'founded in …'")
        return None
    anchor = tokens[k]
    phrase = ctx.document.text[tokens[verb_end].start:date.span.end]

    for hit in ctx.hits:
        if hit.start < anchor.end <= hit.end and isinstance(ctx.index.registry.get(hit.entity_id), Entity):
            return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is the subject of '{phrase}'")
    for org in ctx.org_names:  # "the Shanghai Cooperation Organisation (SOC), which was founded in 2001"
        if org.span.start < anchor.end <= org.span.end + 1:
            named = [h for h in ctx.hits if org.name_span.start <= h.start and h.end <= org.name_span.end + 1
                     and h.kind == "name" and isinstance(ctx.index.registry.get(h.entity_id), Entity)]
            if named:
                return _entity_subject(ctx, named[0].entity_id, f"'{org.name}' is the subject of '{phrase}'")
    gap = text[anchor.end:tokens[k + 1].start] if k + 1 < len(tokens) else ""
    if "," in gap:
        # "COE-DAT, the centre in Ankara, was established in 2005": the body before the apposition
        opening = text.rfind(",", max(clause.start, anchor.end - 120), anchor.start)
        if opening != -1:
            for hit in ctx.hits:
                if hit.end <= opening and text[hit.end:opening].strip() == "" and \
                        isinstance(ctx.index.registry.get(hit.entity_id), Entity):
                    return _entity_subject(ctx, hit.entity_id, f"'{hit.surface}' is the subject of '{phrase}'")
    return None
