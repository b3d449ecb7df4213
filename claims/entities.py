"""Find named bodies in text: registry names, organisation-like names and acronym definitions.

Registry names come from the index in one pass. Names that are not in the registry are found by
their shape: capitalised words ending in a head word such as Centre, Initiative or Agency
(English), or starting with one such as Fondation or Agence and followed by "(ACRONYM)" (French).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from references.index import NameHit, RegistryIndex

from .model import Span
from .alternation import alternation

HEAD_WORDS_EN = frozenset("""
centre center initiative plan programme program project organisation organization agency force
unit office dialogue network cell council committee commission institute foundation forum coalition
alliance association division bureau service partnership mission fund directorate command corps
group authority secretariat board court tribunal union
""".split())
HEAD_WORDS_FR = frozenset("""
fondation organisation agence centre conseil institut office programme projet initiative plan
réseau reseau cellule unité unite force commission comité comite association fédération federation
union bureau service direction coalition alliance partenariat forum mission groupe fonds cour
""".split())
CONNECTORS = frozenset("of for and on against in the de du des la le pour et contre sur d l".split())
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


def _capitalised_head_word() -> re.Pattern[str]:
    """A capitalised head word ("Centre", "AGENCE"): every name find_org_names returns holds one.

    Head words start with ASCII letters, and A-Z are the only upper-case letters that lower-case
    to those (checked over every code point in the tests); the rest matches in any case. The
    upper-case first letter lets the regex engine skip straight to capitals.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(HEAD_WORDS_EN | HEAD_WORDS_FR):
        by_first.setdefault(word[0], []).append(word[1:])
    branches = "|".join(f"{first.upper()}(?i:{alternation(rests)})" for first, rests in sorted(by_first.items()))
    return re.compile(rf"(?:{branches})(?![^\W_])")


_HEAD_WORD = _capitalised_head_word()
_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9&.\-]{0,11}[A-Z0-9](?:\s[A-Z][a-z]{2,12})?)\s*\)")
_ALL_CAPS = re.compile(r"(?<![\w\-])[A-Z]{3,6}(?![\w\-])")
_LEADING_ARTICLES = frozenset("""
the a an this that these those its their his her our both each every some many most all several
later then today yesterday meanwhile however also and but when while after before since in on at as
with under over by from for if although though whereas despite among between during until
la le les l un une des ce cette ces son sa ses leur leurs puis ensuite aujourd hier mais et quand
lorsque après avant depuis dans sur sous avec pour par selon malgré
""".split())
_NAME_STOPS = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december lundi mardi mercredi jeudi vendredi samedi
dimanche""".split())


@dataclass(frozen=True)
class OrgName:
    """An organisation-like name in the text, with the acronym defined right after it, if any."""

    name_span: Span
    name: str
    acronym: str | None = None
    acronym_span: Span | None = None

    @property
    def span(self) -> Span:
        end = self.acronym_span.end + 1 if self.acronym_span else self.name_span.end
        return Span(self.name_span.start, end)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _base(word: str) -> str:
    return word.lower().replace("’", "'").split("'")[-1]


def is_heading(text: str, span: Span) -> bool:
    """A title-case line without final punctuation ("Military and Intelligence Cooperation")."""
    line = text[span.start:span.end]
    if "\n" in line or line.rstrip()[-1:] in ".!?;:" or len(line) > 150:
        return False
    words = [w for w in _WORD.findall(line) if w.lower() not in CONNECTORS]
    return len(words) >= 2 and sum(1 for w in words if _is_capitalised(w)) >= 0.7 * len(words)


def find_org_names(text: str, span: Span, language: str) -> list[OrgName]:
    """Organisation-like names in text[span] (a sentence), with "(ACR)" when it follows.

    In a title-case heading every word is capitalised, so only names followed by an acronym count.
    """
    if not _HEAD_WORD.search(text[span.start:span.end]):
        return []  # no head word, no name (most sentences): one search instead of a walk over every word
    return _find_org_names(text, span, language)


def _find_org_names(text: str, span: Span, language: str) -> list[OrgName]:
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, span.start, span.end)]
    heading = None
    names: list[OrgName] = []
    taken_until = -1
    for i, (start, end, word) in enumerate(words):
        if start < taken_until or not word[:1].isupper():
            continue
        lower = word.lower()
        if lower not in HEAD_WORDS_EN and lower not in HEAD_WORDS_FR:
            continue  # what _english_name and _french_name would both conclude
        found = _english_name(text, words, i) or _french_name(text, words, i)
        if found is None:
            continue
        name_start, name_end = found
        acronym, acronym_span = _acronym_after(text, name_end, span.end)
        if acronym is None and heading is None:
            heading = is_heading(text, span)
        if acronym is None and (heading or not _has_enough_capitals(text[name_start:name_end])):
            continue
        names.append(OrgName(Span(name_start, name_end), text[name_start:name_end], acronym, acronym_span))
        taken_until = (acronym_span.end if acronym_span else name_end)
    return names


def _has_enough_capitals(name: str) -> bool:
    words = [w for w in _WORD.findall(name) if w.lower() not in CONNECTORS]
    return sum(1 for w in words if _is_capitalised(w)) >= 2 and len(words) >= 2


def _gap_is_space(text: str, a: int, b: int) -> bool:
    return text[a:b].strip() == "" and "\n" not in text[a:b]


def _english_name(text: str, words, i: int) -> tuple[int, int] | None:
    start, end, word = words[i]
    if not (_is_capitalised(word) and word.lower() in HEAD_WORDS_EN):
        return None
    # extend to the right up to a later head word ("Cooperation Initiative", "Task Force")
    last = i
    for k in range(i + 1, min(i + 5, len(words))):
        if not (_is_capitalised(words[k][2]) and _gap_is_space(text, words[k - 1][1], words[k][0])):
            break
        if words[k][2].lower() in HEAD_WORDS_EN:
            last = k
    # then over capitalised words that finish the name ("NATO Command Structure"), at most two
    for k in range(last + 1, min(last + 3, len(words))):
        word = words[k][2]
        if not (_is_capitalised(word) and _gap_is_space(text, words[k - 1][1], words[k][0])) \
                or word.lower() in _NAME_STOPS or word.lower() in CONNECTORS:
            break
        last = k
    # then over "of/for/on/against/in/and" + capitalised words
    j = last + 1
    while j + 1 < len(words) and words[j][2].lower() in CONNECTORS - {"the", "la", "le", "d", "l"}:
        if j == last + 1 and last == i and words[j][2].lower() in ("and", "et"):
            break  # "Western Union and DHL" lists two names; "Security and Co-operation" continues one
        if not _gap_is_space(text, words[j - 1][1], words[j][0]) or not _gap_is_space(text, words[j][1], words[j + 1][0]):
            break
        k = j + 1
        if not _is_capitalised(words[k][2]):
            break
        while k + 1 < len(words) and _is_capitalised(words[k + 1][2]) and _gap_is_space(text, words[k][1], words[k + 1][0]):
            k += 1
        last = k
        j = k + 1
    # extend to the left over capitalised words and inner connectors
    first = i
    k = i - 1
    while k >= 0 and _gap_is_space(text, words[k][1], words[k + 1][0]):
        candidate = words[k][2]
        if _is_capitalised(candidate):
            first = k
            k -= 1
            continue
        if candidate.lower() in CONNECTORS and k - 1 >= 0 and _is_capitalised(words[k - 1][2]) \
                and _gap_is_space(text, words[k - 1][1], words[k][0]):
            first = k - 1
            k -= 2
            continue
        break
    while first < i and words[first][2].lower() in _LEADING_ARTICLES and not words[first][2].isupper():
        first += 1
    if first == i and last == i:
        return None
    return words[first][0], words[last][1]


def _french_name(text: str, words, i: int) -> tuple[int, int] | None:
    start, end, word = words[i]
    if not (_is_capitalised(word) and word.lower() in HEAD_WORDS_FR):
        return None
    last = i
    for j in range(i + 1, min(i + 9, len(words))):
        if not _gap_is_space(text, words[j - 1][1], words[j][0]) and text[words[j - 1][1]:words[j][0]] not in ("'", "’"):
            break
        last = j
        if text[words[j][1]:words[j][1] + 3].lstrip().startswith("("):
            acronym, _ = _acronym_after(text, words[j][1], len(text))
            if acronym:
                return start, words[j][1]
    return None


def _acronym_after(text: str, name_end: int, limit: int) -> tuple[str | None, Span | None]:
    match = _ACRONYM_DEF.match(text, name_end + (1 if text[name_end:name_end + 1] == " " else 0), min(limit + 1, len(text)))
    if not match:
        return None, None
    acronym = match.group(1)
    if sum(1 for c in acronym if c.isupper()) < 2:
        return None, None
    return acronym, Span(match.start(1), match.end(1))


def acronym_fits(acronym: str, name: str) -> bool:
    """Does the acronym spell the name's initials (skipping small words, hyphen parts count)?"""
    letters = [c for c in acronym.upper() if c.isalpha()]
    parts = [p for p in re.split(r"[\s\-–/]+", name) if p]
    initials = [_base(p)[:1].upper() for p in parts if _base(p) and _base(p) not in CONNECTORS]
    all_initials = [_base(p)[:1].upper() for p in parts if _base(p)]
    return _subsequence(letters, initials) or _subsequence(letters, all_initials) \
        or sorted(letters) == sorted(initials)


def _subsequence(letters: list[str], initials: list[str]) -> bool:
    if not letters:
        return False
    position = 0
    for initial in initials:
        if position < len(letters) and initial == letters[position]:
            position += 1
    return position == len(letters)


def find_local_definitions(names: list[OrgName]) -> dict[str, OrgName]:
    """Acronyms the document defines itself: 'NATO Counter-Terrorism Centre of Excellence (COE)'."""
    out: dict[str, OrgName] = {}
    for name in names:
        if name.acronym and name.acronym not in out:
            out[name.acronym] = name
    return out


def find_suspect_acronyms(text: str, span: Span, index: RegistryIndex, known: set[str],
                          mentioned: set[str]) -> list[tuple[Span, str, str]]:
    """All-caps words that are a registry acronym of a mentioned entity with letters swapped.

    Returns (span, written, entity_id). 'EDF' next to EFD is a transposition; an unrelated
    acronym is not reported.
    """
    out = []
    for match in _ALL_CAPS.finditer(text, span.start, span.end):
        written = match.group()
        if written in known or index.entities_for_acronym(written):
            continue
        for acronym in index.acronyms_with_letters_of(written):  # not a scan of every acronym
            if acronym != written:
                for entity_id in index.acronyms[acronym]:
                    if entity_id in mentioned:
                        out.append((Span(match.start(), match.end()), written, entity_id))
    return out


def hits_in(hits: list[NameHit], span: Span) -> list[NameHit]:
    return [h for h in hits if span.start <= h.start and h.end <= span.end]
