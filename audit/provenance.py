"""Flag unreliable provenance: aggregators, machine translation, AI generation, unreliable domains.

The source domain (when the document has a URL) is looked up in the registry; the text itself is
searched for the registry's signatures. Decisive signatures flag on their own. Weak stylistic
markers of AI-written or spun text only count together with other signals (invented bodies,
passages repeated word for word), and each marker counts once, so one stock phrase in a human
article is never enough.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from claims.model import Document, Span
from claims.segment import sentences
from references.model import Entity, Registry, Signature
from references.patterns import SIGNATURE_FLAGS, signature_regex, text_key

from .model import Finding, Flag

FLAG_CODES = {"aggregator": "SA301", "machine_translation": "SA302", "ai_generated": "SA303",
              "unreliable_source": "SA304"}
UNRELIABLE_KINDS = {"content_farm": "a content farm", "satire": "a satire site",
                    "ai_generated": "an AI-generated news site", "state_affiliated": "a state-affiliated outlet"}
AI_THRESHOLD = 1.0
REPEATED_SENTENCE_WORDS = 12
# Reporting quotes or attributes what it says; generated explainers rarely name a single source.
UNSOURCED_MIN_WORDS = 300
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|stated|according\s+to|announced|quoted|reported|confirmed|spokes(?:man|woman|person)"
    r"|a\s+d[ée]clar[ée]|a\s+dit|a\s+affirm[ée]|a\s+annonc[ée]|a\s+indiqu[ée]|a\s+pr[ée]cis[ée]|selon|d['’]apr[èe]s"
    r"|a\s+ajout[ée]|estime|porte-parole)\b|[“«\"]", re.IGNORECASE)
# "- **Share intelligence.** ..." / "• Training: NATO provides ...": list items led by a label
_LABELLED_ITEM = re.compile(r"^[ \t]*(?:[-–•*]|\d+[.)])[ \t]+(?:\*\*[^*\n]{2,60}\*\*|[A-Z][\w' -]{2,40}:)", re.MULTILINE)


@dataclass(frozen=True)
class _Compiled:
    signature: Signature
    source: str
    required: tuple[str, ...] | None = None  # every match contains one of these (text_key form)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled when a document first needs it (see `signature_regex`)."""
        return re.compile(self.source, SIGNATURE_FLAGS)


class ProvenanceChecker:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.signatures = [_Compiled(signature, *signature_regex(signature)) for signature in registry.signatures]

    def flags(self, document: Document, findings: tuple[Finding, ...]) -> tuple[Flag, ...]:
        flags: list[Flag] = []
        flags.extend(self._domain_flags(document))
        text = document.text
        body = document.body or Span(0, len(text))
        weak: list[tuple[float, Span, str]] = []
        decisive: dict[str, tuple[Span, str, Signature]] = {}
        searchable = None
        for compiled in self.signatures:
            sig = compiled.signature
            if sig.language not in ("any", document.language):
                continue
            if compiled.required is not None:
                if searchable is None:
                    searchable = text_key(text[body.start:body.end])
                if not any(piece in searchable for piece in compiled.required):
                    continue
            matches = list(compiled.pattern.finditer(text, body.start, body.end))
            if not matches:
                continue
            if sig.weight >= 1.0:
                # a report that quotes a disclaimer or a chatbot is not itself aggregated or generated
                matches = [m for m in matches if not _quoted(text, m.start(), m.end())]
                if not matches:
                    continue
            first = matches[0]
            span = Span(first.start(), first.end())
            if sig.weight >= 1.0:
                decisive.setdefault(sig.flag, (span, first.group(), sig))
            else:
                repeats = min(len(matches), 3) if "broken" in sig.id or "spinner" in sig.id else 1
                weak.append((sig.weight * repeats, span, f"{sig.description or sig.id}: '{first.group()}'"))
        for kind in ("aggregator", "machine_translation", "ai_generated", "unreliable_source"):
            if kind in decisive and not any(f.kind == kind for f in flags):
                span, matched, sig = decisive[kind]
                flags.append(Flag(kind, FLAG_CODES[kind], _signature_message(kind, matched, sig), span,
                                  (sig.evidence,) if sig.evidence else ()))
        if not any(f.kind == "ai_generated" for f in flags):
            ai = self._ai_from_signals(document, findings, weak)
            if ai:
                flags.append(ai)
        if not any(f.kind == "machine_translation" for f in flags):
            mt = _translated_from_english(document)
            if mt:
                flags.append(mt)
        order = {k: i for i, k in enumerate(FLAG_CODES)}
        return tuple(sorted(flags, key=lambda f: order[f.kind]))

    def _domain_flags(self, document: Document) -> list[Flag]:
        entry = self.registry.domain(document.domain)
        if entry is None:
            return []
        name = entry.name or entry.domain
        evidence = (entry.evidence,) if entry.evidence else ()
        out = []
        if entry.kind == "aggregator":
            out.append(Flag("aggregator", "SA301",
                            f"The source, {name} ({entry.domain}), is registered as an automatic aggregator.",
                            None, evidence))
        if entry.kind == "ai_generated":
            out.append(Flag("ai_generated", "SA303",
                            f"The source, {name} ({entry.domain}), is registered as an AI-generated news site.",
                            None, evidence))
        if entry.kind in UNRELIABLE_KINDS or (entry.rating is not None and entry.rating < 0.4):
            why = UNRELIABLE_KINDS.get(entry.kind) or f"rated {entry.rating:.2f} for reliability (0-1)"
            out.append(Flag("unreliable_source", "SA304", f"The source, {name} ({entry.domain}), is {why}.",
                            None, evidence))
        return out

    def _ai_from_signals(self, document: Document, findings, weak) -> Flag | None:
        signals: list[tuple[float, Span | None, str]] = list(weak)
        invented = {}
        for finding in findings:
            if finding.code in ("SA102", "SA103") and finding.reference:
                entity = self.registry.get(finding.reference.id)
                if isinstance(entity, Entity) and len(entity.name.split()) >= 3:
                    invented.setdefault(entity.id, finding)
        if invented:
            first = min(invented.values(), key=lambda f: f.claim.span.start)
            names = ", ".join(sorted(self.registry.get(i).name for i in invented))
            signals.append((0.5 * len(invented), first.claim.span,
                            f"{len(invented)} invented or misnamed bod{'y' if len(invented) == 1 else 'ies'} "
                            f"with plausible titles ({names})"))
        repeated = _repeated_sentence(document)
        if repeated:
            signals.append((0.5, repeated, "a long sentence repeated word for word"))
        body = document.text[document.body.start:document.body.end] if document.body else document.text
        words = len(body.split())
        if words >= UNSOURCED_MIN_WORDS and not _ATTRIBUTION.search(body):
            signals.append((0.5, None, f"{words} words without a single quoted or attributed source"))
        labelled = list(_LABELLED_ITEM.finditer(document.text, *(document.body.start, document.body.end)
                                                if document.body else (0, len(document.text))))
        if len(labelled) >= 3:
            first = labelled[0]
            signals.append((0.3, Span(first.start(), first.end()), f"{len(labelled)} list items led by a bold or "
                            "colon label, the layout of generated explainers"))
        score = sum(s[0] for s in signals)
        if score < AI_THRESHOLD or len(signals) < 2:
            return None
        signals.sort(key=lambda s: (-s[0], s[1].start if s[1] else 0))
        span = next((s[1] for s in signals if s[1] is not None), None)
        evidence = tuple(s[2] for s in signals)
        return Flag("ai_generated", "SA303",
                    f"Several signs of AI-generated or automatically rewritten text (score {score:.1f}): "
                    + "; ".join(evidence[:4]) + ".", span, evidence, confidence="medium")


_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ('"', '"'), ("‘", "’"))


def _quoted(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside quotation marks on its own line?"""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    for opening, closing in _QUOTE_PAIRS:
        before = text[line_start:start]
        after = text[end:line_end]
        if opening == closing:
            if before.count(opening) % 2 == 1 and closing in after:
                return True
        elif before.rfind(opening) > before.rfind(closing) and closing in after:
            return True
    return False


# French text machine-translated from English keeps English conventions a French writer would not
# use: thousands with commas ("5,000"), capitalised months mid-sentence ("en Janvier"), "4 avril, 2023".
_FR_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_EN_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])")
_CAPITAL_MONTH = re.compile(r"(?<=[a-zà-ÿ,] )(?:" + "|".join(m.capitalize() for m in _FR_MONTHS.split("|")) + r")\b")
_MONTH_COMMA_YEAR = re.compile(r"\b(?:" + _FR_MONTHS + r"),\s+(?:19|20)\d\d\b", re.IGNORECASE)


def _translated_from_english(document: Document) -> Flag | None:
    if document.language != "fr":
        return None
    text = document.text
    body = document.body or Span(0, len(text))
    signals = []
    for pattern, what in ((_EN_THOUSANDS, "English thousands separators"), (_CAPITAL_MONTH, "capitalised month names"),
                          (_MONTH_COMMA_YEAR, "English-style 'month, year' dates")):
        match = pattern.search(text, body.start, body.end)
        if match:
            signals.append((Span(match.start(), match.end()), f"{what} in French text: '{match.group()}'"))
    if len(signals) < 2:
        return None
    return Flag("machine_translation", "SA302",
                "English conventions kept in French text, as machine translation leaves them: "
                + "; ".join(s[1] for s in signals) + ".", signals[0][0], tuple(s[1] for s in signals),
                confidence="medium")


def _signature_message(kind: str, matched: str, sig: Signature) -> str:
    quoted = " ".join(matched.split())
    if len(quoted) > 80:
        quoted = quoted[:77] + "…"
    what = {"aggregator": "aggregator or syndication boilerplate", "machine_translation":
            "a machine-translation artefact", "ai_generated": "an AI-generation disclosure",
            "unreliable_source": "a marker of an unreliable source"}[kind]
    return f"The text carries {what}: '{quoted}'" + (f" ({sig.description})" if sig.description else "") + "."


def _repeated_sentence(document: Document) -> Span | None:
    text = document.text
    body = document.body or Span(0, len(text))
    seen: dict[str, int] = {}
    for span in sentences(text, body.start, body.end):
        words = text[span.start:span.end].lower().split()
        if len(words) < REPEATED_SENTENCE_WORDS:
            continue
        key = " ".join(words)
        if key in seen:
            return span
        seen[key] = span.start
    return None
