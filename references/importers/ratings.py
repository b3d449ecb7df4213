"""Domain-quality datasets to registry `domains:` entries, with each dataset's licence carried along.

Formats and how they map (a rating below 0.4 makes the audit flag an article's source as unreliable;
the kinds `content_farm`, `satire` and `state_affiliated` flag it whatever the rating):

`lin-pc1` — Lin et al. 2023, `domain_pc1.csv` (`domain`, `pc1`): `rating` = pc1 rounded to 3
decimals, `kind: unknown` (a quality score says nothing about what kind of outlet it is). The
evidence says pc1 is the first principal component of an imputed rating matrix, so a value does
not mean that every rater rated the domain.

`opensources` — OpenSources `sources.csv` (LGPL-3.0, copyleft). Each domain has up to three tags;
the rating is the lowest of its tags' ratings, the kind comes from the first tag that names one:

    fake, conspiracy, junksci, hate   rating 0.1   kind unknown
    rumor                             rating 0.2   kind unknown
    bias, unreliable, clickbait       rating 0.3   kind unknown  (OpenSources: "may be reliable",
                                                                  "generally credible content")
    political                         no rating    kind unknown  (verifiable, one-sided)
    reliable                          rating 0.9   kind unknown
    satire                            no rating    kind satire
    state                             no rating    kind state_affiliated
    blog                              no rating    kind blog

  None of OpenSources' tags means "content farm" (mass-produced, plagiarised, keyword-stuffed
  pages), so no tag maps to `content_farm`; the tags are in the evidence.

`perennial` — Wikipedia perennial sources, 2021 CSV (CC BY-SA 3.0, share-alike): one entry per
domain in the `urls` JSON array, `kind: unknown`, rating the lowest of its statuses':
Generally reliable 0.9, No consensus 0.5, Generally unreliable 0.2, Blacklisted 0.2,
Deprecated 0.1. Rows with another status are skipped.

`content-farm` — Content Farm Terminator lists (GPL-3.0, copyleft), chosen by file name:
`content-farms.txt` → `content_farm`, rating 0.1; `nearly-content-farms.txt` → `content_farm`,
rating 0.3, evidence "borderline"; `bad-cloners.txt` → `aggregator` (sites that republish copies of
Wikipedia or Stack Overflow: copied, not invented, content), no rating. Only bare-domain rules
are imported; `/regex/`, prefixed (`domain-path:`, `udn:`) and wildcard rules are counted in a note.

Every format: domains are lower-cased, stripped of scheme, port, `www.` and a trailing dot; an
entry with a path (`cato.org/blog`, `newyorker.com/humor`) rates a section, not the domain, and is
skipped; a host that does not match the schema (`^[a-z0-9.-]+\\.[a-z]{2,}$`: IP addresses,
non-ASCII names) is skipped. When one domain appears several times, the entries are merged: the
evidence lists every entry, the kind is kept when they agree (else `unknown`), and the rating is
the highest of theirs, so a domain is flagged only when every entry rates it low (a site the
perennial list rates reliable for news and unreliable for its talk shows is not flagged).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from . import Dataset, Imported, InputError

FORMATS = ("lin-pc1", "opensources", "perennial", "content-farm")

LIN = Dataset(
    name="Lin et al. (2023) news domain quality ratings, domain_pc1.csv",
    origin="hauselin/domain-quality-ratings, data/domain_pc1.csv (https://github.com/hauselin/domain-quality-ratings)",
    licence='no licence file; README: "Feel free to reuse the data"; cite Lin et al. 2023',
    attribution="Lin, H., Lasser, J., Lewandowsky, S., Cole, R., Gully, A., Rand, D. G., & Pennycook, G. (2023). "
                "High level of correspondence across different news domain quality rating sets. PNAS Nexus 2(9), "
                "pgad286. https://doi.org/10.1093/pnasnexus/pgad286 — site: https://www.domain-quality.info")
OPENSOURCES = Dataset(
    name="OpenSources, sources.csv",
    origin="OpenSourcesGroup/opensources, sources/sources.csv (https://github.com/OpenSourcesGroup/opensources)",
    licence="LGPL-3.0 (repo LICENSE)",
    attribution="OpenSources (OpenSourcesGroup/opensources on GitHub), a curated list of credible and "
                "non-credible news sources, last released as v2.1.0 in 2017.",
    copyleft=True)
PERENNIAL = Dataset(
    name="Wikipedia perennial sources (2021 CSV)",
    origin="Kudusch/wikipedia-perennial-sources, perennial-sources.csv "
           "(https://github.com/Kudusch/wikipedia-perennial-sources)",
    licence="CC BY-SA 3.0 (README; derived from Wikipedia text)",
    attribution="Wikipedia contributors, 'Wikipedia:Reliable sources/Perennial sources', English Wikipedia "
                "(https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources), as compiled "
                "into CSV by Kudusch/wikipedia-perennial-sources.",
    copyleft=True)
CONTENT_FARM = Dataset(
    name="Content Farm Terminator blocklists",
    origin="danny0838/content-farm-terminator, branch gh-pages, src/blocklist/ "
           "(https://github.com/danny0838/content-farm-terminator)",
    licence="GPL-3.0 (repo LICENSE.txt on main @ 4ad394f; gh-pages has no separate licence)",
    attribution="Content Farm Terminator by danny0838 and contributors "
                "(https://github.com/danny0838/content-farm-terminator).",
    copyleft=True)
DATASETS = {"lin-pc1": LIN, "opensources": OPENSOURCES, "perennial": PERENNIAL, "content-farm": CONTENT_FARM}

OPENSOURCES_TAGS = {  # tag: (rating, kind, what OpenSources means by it)
    "fake": (0.1, None, "fabricated information or grossly distorted news reports"),
    "conspiracy": (0.1, None, "conspiracy theories"),
    "junksci": (0.1, None, "junk science"),
    "hate": (0.1, None, "promotes racism, misogyny, homophobia or other discrimination"),
    "rumor": (0.2, None, "rumour mill"),
    "bias": (0.3, None, "extreme bias: propaganda, decontextualised information, opinion as fact"),
    "unreliable": (0.3, None, "may be reliable, but its content needs further verification"),
    "clickbait": (0.3, None, "generally credible content under exaggerated or misleading headlines"),
    "political": (None, None, "generally verifiable information in support of one point of view"),
    "reliable": (0.9, None, "credible"),
    "satire": (None, "satire", "satire"),
    "state": (None, "state_affiliated", "state news"),
    "blog": (None, "blog", "blog"),
}
OPENSOURCES_TYPOS = {"fake news": "fake", "satirical": "satire", "unrealiable": "unreliable"}
PERENNIAL_STATUSES = {"Generally reliable": 0.9, "No consensus": 0.5, "Generally unreliable": 0.2,
                      "Blacklisted": 0.2, "Deprecated": 0.1}
CONTENT_FARM_LISTS = {  # file-name stem: (kind, rating, what being on the list means)
    "content-farms": ("content_farm", 0.1, "a site with massive plagiarism and keyword stuffing"),
    "nearly-content-farms": ("content_farm", 0.3, "borderline: a site that reposts others' content, often "
                             "without authorisation, but is not a full content farm"),
    "bad-cloners": ("aggregator", None, "a site that republishes copies of Wikipedia or Stack Overflow content"),
}

_VALID_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


@dataclass(frozen=True)
class _Entry:
    """One input row's view of one domain, before domains are normalised and merged."""

    raw_domain: str
    line: int
    kind: str
    rating: float | None
    evidence: str
    sources: tuple[dict, ...]
    name: str = ""


def normalise_domain(raw: str) -> tuple[str | None, str]:
    """(domain, "") for a usable host, or (None, why) with why one of "path" and "invalid"."""
    text = "".join(raw.split()).lower()
    if not text:
        return None, "invalid"
    try:
        parts = urlsplit(text if "://" in text else f"//{text}")
        host = parts.hostname or ""
    except ValueError:
        return None, "invalid"
    if parts.path not in ("", "/"):
        return None, "path"
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not _VALID_DOMAIN.match(host) or not all(_LABEL.match(label) for label in host.split(".")):
        return None, "invalid"
    return host, ""


def detect_format(text: str, filename: str) -> str:
    """Which dataset a file holds, from its header (CSV) or its name (`.txt` blocklists)."""
    if PurePath(filename).suffix.lower() == ".txt":
        return "content-farm"
    header = next(csv.reader(io.StringIO(_first_line(text))), [])
    columns = {c.strip() for c in header}
    if "pc1" in columns:
        return "lin-pc1"
    if {"type", "2nd type"} <= columns:
        return "opensources"
    if {"status", "urls"} <= columns:
        return "perennial"
    shown = ", ".join(repr(c) for c in header) or "none"
    raise InputError(filename, f"cannot tell which dataset this is (columns: {shown}); "
                     f"pass --format ({', '.join(FORMATS)})", 1)


def import_ratings(text: str, filename: str, fmt: str = "auto", *, min_rating: float | None = None,
                   max_rating: float | None = None, limit: int | None = None,
                   retrieved: str | None = None) -> Imported:
    """Convert one dataset file's text into `domains:` entries.

    With a rating filter, entries without a rating are left out; `limit` keeps the first N
    domains in the input's order (after filtering). The output is sorted by domain.
    """
    text = text.lstrip("\ufeff")
    if fmt == "auto":
        fmt = detect_format(text, filename)
    if fmt not in DATASETS:
        raise ValueError(f"unknown format {fmt!r}")
    notes: list[str] = []
    reader = {"lin-pc1": _lin_entries, "opensources": _opensources_entries, "perennial": _perennial_entries,
              "content-farm": _content_farm_entries}[fmt]
    entries = list(reader(text, filename, notes))
    records = _merge(entries, DATASETS[fmt], notes)
    if min_rating is not None or max_rating is not None:
        kept = [r for r in records if r.get("rating") is not None
                and (min_rating is None or r["rating"] >= min_rating)
                and (max_rating is None or r["rating"] <= max_rating)]
        if len(kept) < len(records):
            notes.append(f"{len(records) - len(kept)} domain(s) outside the rating filter (or without a rating) "
                         "left out")
        records = kept
    if limit is not None and len(records) > limit:
        notes.append(f"{len(records) - limit} domain(s) beyond --limit {limit} left out")
        records = records[:limit]
    if retrieved:
        for record in records:
            record["sources"] = [{**source, "retrieved": retrieved} for source in record["sources"]]
    return Imported(DATASETS[fmt], {"domains": sorted(records, key=lambda r: r["domain"])}, tuple(notes))


# --------------------------------------------------------------------------- CSV

def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _csv_rows(text: str, filename: str, known: tuple[str, ...], required: tuple[str, ...],
              fmt: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row; unknown or missing columns and stray cells are errors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise InputError(filename, "the file is empty") from None
    except csv.Error as exc:
        raise InputError(filename, f"not CSV: {exc}", 1) from None
    for column in header:
        if column not in known:
            raise InputError(filename, f"unknown column {column!r} for format {fmt} "
                             f"(expected: {', '.join(c or repr(c) for c in known)})", 1)
    for column in required:
        if column not in header:
            raise InputError(filename, f"missing column {column!r} for format {fmt}", 1)
    while True:
        line = reader.line_num + 1  # where the next row starts (a quoted cell may span lines)
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(filename, f"malformed CSV: {exc}", line) from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise InputError(filename, f"{len(cells)} cells in a row of a {len(header)}-column file", line)
        cells = cells + [""] * (len(header) - len(cells))
        yield line, {name: cells[i] for i, name in enumerate(header) if name or i == 0}  # OpenSources: domain is ''


def _lin_entries(text: str, filename: str, notes: list[str]) -> Iterator[_Entry]:
    sources = ({"url": "https://doi.org/10.1093/pnasnexus/pgad286",
                "title": "High level of correspondence across different news domain quality rating sets",
                "publisher": "PNAS Nexus", "date": "2023"},
               {"url": "https://github.com/hauselin/domain-quality-ratings",
                "title": "hauselin/domain-quality-ratings, data/domain_pc1.csv"})
    for line, row in _csv_rows(text, filename, ("domain", "pc1"), ("domain", "pc1"), "lin-pc1"):
        raw = row["pc1"].strip()
        try:
            pc1 = float(raw)
        except ValueError:
            raise InputError(filename, f"pc1 {raw!r} is not a number", line) from None
        if not 0 <= pc1 <= 1:
            raise InputError(filename, f"pc1 {raw} is outside 0..1", line)
        rating = round(pc1, 3)
        yield _Entry(row["domain"], line, "unknown", rating, f"Lin et al. (2023) pc1 = {rating}.", sources)


def _opensources_entries(text: str, filename: str, notes: list[str]) -> Iterator[_Entry]:
    columns = ("", "type", "2nd type", "3rd type", "Source Notes (things to know?)")
    source = ({"url": "https://github.com/OpenSourcesGroup/opensources",
               "title": "OpenSources, sources/sources.csv", "publisher": "OpenSources"},)
    unknown_tags: dict[str, int] = {}
    for line, row in _csv_rows(text, filename, columns, columns[:2], "opensources"):
        tags = []
        for column in ("type", "2nd type", "3rd type"):
            tag = row.get(column, "").strip().lower()
            tag = OPENSOURCES_TYPOS.get(tag, tag)
            if not tag or tag in tags:
                continue
            if tag not in OPENSOURCES_TAGS:
                unknown_tags[tag] = unknown_tags.get(tag, 0) + 1
                continue
            tags.append(tag)
        if not tags:
            notes.append(f"{filename}:{line}: no known OpenSources tag; row skipped")
            continue
        ratings = [OPENSOURCES_TAGS[t][0] for t in tags if OPENSOURCES_TAGS[t][0] is not None]
        kind = next((OPENSOURCES_TAGS[t][1] for t in tags if OPENSOURCES_TAGS[t][1]), "unknown")
        described = "; ".join(f"{t} ({OPENSOURCES_TAGS[t][2]})" for t in tags)
        note = " ".join(row.get("Source Notes (things to know?)", "").split())
        evidence = f"OpenSources tags: {described}." + (f" OpenSources note: {note}" if note else "")
        yield _Entry(row[""], line, kind, min(ratings) if ratings else None, evidence, source)
    for tag, count in sorted(unknown_tags.items()):
        notes.append(f"unknown OpenSources tag {tag!r} ignored ({count} row(s))")


def _perennial_entries(text: str, filename: str, notes: list[str]) -> Iterator[_Entry]:
    columns = ("id", "name", "status", "status_n", "wiki_url", "urls", "urls_n", "info")
    page = {"url": "https://en.wikipedia.org/wiki/Wikipedia:Reliable_sources/Perennial_sources",
            "title": "Wikipedia:Reliable sources/Perennial sources", "publisher": "Wikipedia"}
    dataset = {"url": "https://github.com/Kudusch/wikipedia-perennial-sources",
               "title": "Kudusch/wikipedia-perennial-sources, perennial-sources.csv"}
    for line, row in _csv_rows(text, filename, columns, ("name", "status", "urls"), "perennial"):
        statuses = _json_list(row["status"], "status", filename, line)
        urls = _json_list(row["urls"], "urls", filename, line)
        unknown = [s for s in statuses if s not in PERENNIAL_STATUSES]
        if unknown or not statuses:
            notes.append(f"{filename}:{line}: status {', '.join(unknown) or '(none)'} is not a reliability "
                         "status; row skipped")
            continue
        name = " ".join(row["name"].split())
        info = " ".join(row.get("info", "").split())
        evidence = (f"Wikipedia's perennial sources list gives {name}: {', '.join(statuses)}."
                    + (f" {info}" if info else "")
                    + " (The domain comes from the outlet's Wikipedia infobox, as compiled by the dataset, "
                      "not from the list itself.)")
        sources = [page]
        wiki_url = row.get("wiki_url", "").strip()
        if re.match(r"^https?://\S+$", wiki_url):
            sources.append({"url": wiki_url, "title": f"Wikipedia: {name}", "publisher": "Wikipedia"})
        sources.append(dataset)
        rating = min(PERENNIAL_STATUSES[s] for s in statuses)
        for url in urls:
            yield _Entry(url, line, "unknown", rating, evidence, tuple(sources), name=name)


def _json_list(raw: str, column: str, filename: str, line: int) -> list[str]:
    try:
        value = json.loads(raw) if raw.strip() else []
    except json.JSONDecodeError as exc:
        raise InputError(filename, f"column {column!r} is not a JSON array: {exc.msg}", line) from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(filename, f"column {column!r} is not a JSON array of strings", line)
    return value


# --------------------------------------------------------------------------- blocklists

def _content_farm_entries(text: str, filename: str, notes: list[str]) -> Iterator[_Entry]:
    stem = PurePath(filename).stem.lower()
    list_name = ("nearly-content-farms" if "nearly" in stem else "bad-cloners" if "cloner" in stem
                 else "content-farms")
    kind, rating, meaning = CONTENT_FARM_LISTS[list_name]
    source = ({"url": "https://github.com/danny0838/content-farm-terminator/blob/gh-pages/src/blocklist/"
                      f"{list_name}.txt",
               "title": f"Content Farm Terminator, {list_name}.txt", "publisher": "Content Farm Terminator"},)
    rules = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        rule, _, comment = raw.partition("#")
        rule = rule.strip()
        if not rule:
            continue
        if rule.startswith("/") or ":" in rule or "*" in rule or " " in rule:  # regex, domain-path:, udn:…
            rules += 1
            continue
        comment = " ".join(comment.split())
        evidence = (f"Listed in Content Farm Terminator's {list_name}.txt: {meaning}."
                    + (f" List note: {comment}" if comment else ""))
        yield _Entry(rule, line, kind, rating, evidence, source)
    if rules:
        notes.append(f"{rules} regex, prefixed (domain-path:, udn:…) or wildcard rule(s) skipped "
                     "(only bare domains are imported)")


# --------------------------------------------------------------------------- merging

def _merge(entries: Iterable[_Entry], dataset: Dataset, notes: list[str]) -> list[dict]:
    """One record per normalised domain, in order of first appearance."""
    by_domain: dict[str, list[_Entry]] = {}
    skipped = {"path": [], "invalid": []}
    for entry in entries:
        domain, why = normalise_domain(entry.raw_domain)
        if domain is None:
            skipped[why].append(entry)
        else:
            by_domain.setdefault(domain, []).append(entry)
    if skipped["path"]:
        notes.append(f"{len(skipped['path'])} entr(ies) with a path skipped: they rate a section, not a domain "
                     f"(first: {skipped['path'][0].raw_domain.strip()!r}, line {skipped['path'][0].line})")
    if skipped["invalid"]:
        notes.append(f"{len(skipped['invalid'])} entr(ies) that are not valid domain names skipped "
                     f"(first: {skipped['invalid'][0].raw_domain.strip()!r}, line {skipped['invalid'][0].line})")
    merged = sum(1 for group in by_domain.values() if len(group) > 1)
    if merged:
        notes.append(f"{merged} domain(s) listed more than once merged into one entry each")
    suffix = _licence_suffix(dataset)
    return [_record(domain, group, suffix) for domain, group in by_domain.items()]


def _record(domain: str, group: list[_Entry], suffix: str) -> dict:
    kinds = {e.kind for e in group}
    ratings = {e.rating for e in group}
    evidence: list[str] = []
    for entry in group:
        if entry.evidence not in evidence:
            evidence.append(entry.evidence)
    if len(evidence) > 1:
        text = f"Listed {len(group)} times: " + " | ".join(evidence)
        if len(ratings - {None}) > 1:
            text += " The entries disagree; the highest rating is kept."
    else:
        text = evidence[0]
    sources: list[dict] = []
    for entry in group:
        for source in entry.sources:
            if source not in sources:
                sources.append(dict(source))
    record: dict = {"domain": domain}
    name = next((e.name for e in group if e.name), "")
    if name:
        record["name"] = name
    record["kind"] = kinds.pop() if len(kinds) == 1 else "unknown"
    rating = max(ratings - {None}, default=None)
    if rating is not None:
        record["rating"] = rating
    record["evidence"] = f"{text} {suffix}"
    record["sources"] = sources
    return record


def _licence_suffix(dataset: Dataset) -> str:
    if dataset is LIN:
        return ("pc1 is the first principal component of an imputed matrix of news domain quality ratings, "
                "from 0 (lowest quality) to 1 (highest); values are imputed, so not every rater rated this domain. "
                "Lin et al. 2023, PNAS Nexus 2(9) pgad286, doi 10.1093/pnasnexus/pgad286.")
    return f"Data: {dataset.name}, {dataset.licence.split(' (')[0]}."
