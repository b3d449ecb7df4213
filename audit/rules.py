"""Every rule source-audit applies, with a stable code, a kebab-case name and its documentation.

SA1xx are about named bodies, SA2xx about figures and dates, SA3xx about provenance, SA9xx
about the audit's own instructions in a document (inline suppressions). The tuple `RULES` is the
one list of rules; findings, flags and notices refer to them by code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# What makes a rule's findings fail a CI gate (see audit/gating.py), by its default level.
LEVELS = {
    "error": "fails the build at every --fail-on level: contradicted (the default), unverified, flag",
    "unverified": "fails the build with --fail-on unverified",
    "flag": "fails the build with --fail-on flag",
}
CODE = re.compile(r"[A-Z]{2}\d{3}")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    docs: str
    failing_example: str
    passing_example: str
    default_level: str = "error"  # the verdict that makes a finding of this rule fail a CI gate

    @property
    def kind(self) -> str:
        """What the rule reports: a "finding" on a claim, a document "flag", or a "notice" about
        the audit's own instructions (SA9xx)."""
        if self.code.startswith("SA9"):
            return "notice"
        return "flag" if self.default_level == "flag" else "finding"


RULES: tuple[Rule, ...] = (
    Rule("SA101", "known-entity", "A named body is in the registry.",
         "The name or acronym matches a registry entity. Verified when the entity exists; the finding "
         "links the registry record and its sources.",
         "The Counter-Terrorism Intelligence Fusion Centre (CTIFC) shares threat data.",
         "Interpol circulates Red Notices.", "unverified"),
    Rule("SA102", "nonexistent-entity", "A named body does not exist.",
         "The registry records this name as fabricated: no such body exists. The finding names the real "
         "bodies a reader was probably meant to find.",
         "The NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC) collects intelligence.",
         "The NATO Intelligence Fusion Centre (NIFC) at RAF Molesworth supports SACEUR."),
    Rule("SA103", "misnamed-entity", "A body is given a wrong name or acronym.",
         "The registry records this name as a known misnomer of a real body (an invented title, a "
         "transposed acronym, a machine-translation corruption). The finding gives the right name.",
         "The NATO Counter-Terrorism Centre of Excellence (COE) trains partners.",
         "The Centre of Excellence Defence Against Terrorism (COE-DAT) in Ankara trains partners."),
    Rule("SA104", "wrong-acronym", "An acronym does not belong to the body it is given for.",
         "A name is followed by an acronym that is not the body's: another body's acronym, or its own "
         "with letters swapped.",
         "the European Foundation for Democracy (EDF)",
         "the European Foundation for Democracy (EFD)"),
    Rule("SA105", "unknown-entity", "A named body is not in the registry.",
         "An organisation-like name (capitalised words ending in Centre, Initiative, Agency…) that the "
         "registry does not know. Unverified; when a registry name is close, it is suggested.",
         "The Joint Counter-Extremism Fusion Unit (JCEFU) was set up last year.",
         "Europol's EU Internet Referral Unit flags terrorist content.", "unverified"),
    Rule("SA201", "casualty-figure", "A death or injury toll is checked against the reference toll.",
         "The figure is bound to an event recognised in the same clause or sentence and compared, with "
         "its hedge (more than, at least, about…), to the toll valid at the article's date. Tolls "
         "revised over time are compared with the revision current at publication.",
         "The Crocus City Hall attack killed more than 150 people.",
         "The Crocus City Hall attack killed 145 people, according to investigators in 2025."),
    Rule("SA202", "member-count", "A membership count is checked against the count valid at the article's date.",
         "Counts that change (alliance members, partners) are time-bounded in the registry. A count that "
         "held only before the article's date is contradicted as outdated, with the current value.",
         "NATO, an alliance of 30 countries, (in an article with no date, or dated after April 2023)",
         "NATO, an alliance of 32 countries"),
    Rule("SA203", "figure", "Another figure (fighters, estimates, rates) is checked against the reference.",
         "Numbers with what they count and their subject; estimates stored as ranges verify any value "
         "inside the range.",
         "Europol said 20,000 EU nationals had joined jihadist groups by January 2015.",
         "Europol said up to 5,000 EU nationals had joined jihadist groups by January 2015."),
    Rule("SA204", "unparseable-number", "A number is garbled and cannot be checked.",
         "Placeholders such as XNUMX (left by broken machine translation) or digits run together are "
         "reported rather than guessed.",
         "entre 90,000 et XNUMX tweets par jour", "entre 90 000 et 100 000 tweets par jour", "unverified"),
    Rule("SA211", "founding-date", "A founding date is checked against the reference.",
         "'X was founded in YEAR' and its French forms are bound to X and compared with the registry's "
         "founding date.",
         "The Shanghai Cooperation Organisation was founded in 1996.",
         "The Shanghai Cooperation Organisation was founded in 2001."),
    Rule("SA212", "event-date", "The date of a recognised event is checked.",
         "A date in a clause that describes a registry event is compared with the event's date. A "
         "mismatch stays unverified: the text may describe another event.",
         "the May 2019 attack on the maternity hospital in Dasht-e-Barchi",
         "the May 2020 attack on a maternity hospital in Kabul", "unverified"),
    Rule("SA213", "date", "A date that no registry fact speaks to.",
         "Listed so a fact-checker sees every date the tool could not check.",
         "In 2019 the group moved its base.", "(no date)", "unverified"),
    Rule("SA301", "aggregator", "The article comes from an automatic aggregator or syndication feed.",
         "The source domain is registered as an aggregator, or the text carries aggregator boilerplate "
         "('is an automatic aggregator', 'auto-generated from a syndicated feed').",
         "Disclaimer: this site is an automatic aggregator of the world's media.",
         "(an article published by its own newsroom)", "flag"),
    Rule("SA302", "machine-translation", "The article shows machine-translation artefacts.",
         "Placeholders such as XNUMX and other artefacts of automatic translation.",
         "l'EIIL publie entre 90,000 et XNUMX tweets par jour", "l'EI publie environ 90 000 tweets par jour",
         "flag"),
    Rule("SA303", "ai-generated", "The article shows signs of AI generation or automatic rewriting.",
         "Decisive disclosures ('As an AI language model'), or several weaker signals together: stock "
         "phrases over-represented in LLM text, broken markup from spinning tools, repeated passages, "
         "several invented bodies.",
         "As an AI language model, I cannot browse the internet.", "(a reported news article)", "flag"),
    Rule("SA304", "unreliable-source", "The article's source domain is rated unreliable.",
         "The source domain is a content farm, satire, an AI-generated news site, state-affiliated, or "
         "has a low reliability rating in the registry.",
         "url: https://example-content-farm.test/story", "url: https://www.reuters.com/world/…", "flag"),
    Rule("SA901", "suppression-without-reason", "An inline suppression gives no reason.",
         "`ignore`, `ignore-file` and `disable` comments must say why the finding is wrong or accepted, "
         "so the next editor can judge it. The suppression still applies; the notice fails the run "
         "like a contradicted claim.",
         "<!-- source-audit: ignore SA201 -->",
         "<!-- source-audit: ignore SA201 The minister's figure on the day, quoted as such. -->"),
    Rule("SA902", "unused-suppression", "An inline suppression matched no finding.",
         "The claim it was written for was fixed, moved or reworded, or the code is wrong. Remove the "
         "comment (or the code that matched nothing) so it cannot hide a later error.",
         "<!-- source-audit: ignore SA104 quoted verbatim -->\nInterpol circulates Red Notices.",
         "Interpol circulates Red Notices.", "unverified"),
    Rule("SA903", "invalid-suppression", "An inline suppression cannot be understood.",
         "The directive is not ignore, ignore-file, disable or enable; a code is not a rule code; an "
         "`enable` has no open `disable`; or the code names a document flag, which is silenced with "
         "`per-file-ignores` in the configuration instead. The comment has no effect.",
         "<!-- source-audit: ingore SA201 quoted verbatim -->",
         "<!-- source-audit: ignore SA201 quoted verbatim -->"),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


RULES_BY_NAME = {rule.name: rule for rule in RULES}


def rule(code: str) -> Rule:
    return RULES_BY_CODE[code]


def find_rule(code_or_name: str) -> Rule | None:
    """A rule by its code (any case) or its kebab-case name."""
    return RULES_BY_CODE.get(code_or_name.strip().upper()) or RULES_BY_NAME.get(code_or_name.strip().lower())


def is_selector(text: str) -> bool:
    """A rule code or a code prefix (`SA2`, `SA20`, `SA`) that names at least one rule."""
    return bool(text) and any(code.startswith(text) for code in RULES_BY_CODE)


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    return [s for s in selectors if not is_selector(s)]


@dataclass(frozen=True)
class RuleSelection:
    """Which rules report, ruff-style: `select` codes or prefixes (empty: all), minus `ignore`,
    minus the `per-file-ignores` whose glob matches a document's path."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self, code: str, extra_ignore: Iterable[str] = ()) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(s) for s in (*self.ignore, *extra_ignore))
