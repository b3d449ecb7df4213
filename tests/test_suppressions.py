"""Inline suppressions: `<!-- source-audit: ... -->` comments in text and Markdown articles."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.engine import Config, run
from audit.gating import exit_code
from audit.model import Verdict
from audit.suppressions import find_suppressions, masked

AS_OF = dt.date(2026, 11, 21)
TOLL = "The Crocus City Hall attack killed more than 150 people."          # SA201, contradicted
ACRONYM = "It met the European Foundation for Democracy (EDF) in Brussels."  # SA104, contradicted
UNKNOWN = "The Joint Counter-Extremism Fusion Unit (JCEFU) was set up last year."  # SA105, unverified


@pytest.fixture
def audit(tmp_path, auditor):
    def run_one(text: str, name: str = "article.md", **options):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run([path], Config(as_of=AS_OF, **options), auditor)
        return result, result.documents[0]
    return run_one


def codes(document, active=True):
    return sorted(f.code for f in document.findings
                  if f.verdict is not Verdict.VERIFIED and (f.suppression is None) == active)


def notices(document):
    return [n.code for n in document.notices]


def test_ignore_with_a_reason_suppresses_the_next_paragraph(audit):
    text = f"<!-- source-audit: ignore SA201 The witness's figure, quoted as such. -->\n{TOLL}\n\n{ACRONYM}\n"
    result, document = audit(text)
    suppressed = [f for f in document.findings if f.suppression]
    assert [f.code for f in suppressed] == ["SA201"]
    assert suppressed[0].suppression.kind == "inline"
    assert suppressed[0].suppression.reason == "The witness's figure, quoted as such."
    comment = suppressed[0].suppression.span
    assert text[comment.start:comment.end].startswith("<!-- source-audit: ignore SA201")
    assert codes(document) == ["SA104"]  # the next paragraph is not covered
    assert notices(document) == []


def test_suppressed_file_passes_and_the_same_file_without_it_fails(audit):
    result, _ = audit(f"{TOLL}\n")
    assert exit_code(result) == 1
    result, _ = audit(f"<!-- source-audit: ignore SA201 quoted from the minister -->\n{TOLL}\n")
    assert exit_code(result) == 0


def test_a_suppression_without_a_reason_still_applies_but_is_reported_and_fails(audit):
    result, document = audit(f"<!-- source-audit: ignore SA201 -->\n{TOLL}\n")
    assert codes(document) == [] and codes(document, active=False) == ["SA201"]
    assert notices(document) == ["SA901"]
    assert exit_code(result) == 1
    assert exit_code(result, "SA2") == 0  # a rule-code gate fails only on those rules


def test_unused_suppressions_are_reported(audit):
    _, document = audit(f"<!-- source-audit: ignore SA104 SA201 quoted -->\n{TOLL}\n")
    assert notices(document) == ["SA902"]
    assert "SA104" in document.notices[0].message and "SA201" not in document.notices[0].message
    _, document = audit("<!-- source-audit: ignore SA201 quoted -->\nNATO is an alliance of 32 countries.\n")
    assert notices(document) == ["SA902"]  # verified claims are never suppressed


def test_unused_is_not_reported_for_rules_that_are_turned_off(audit):
    _, document = audit(f"<!-- source-audit: ignore SA104 SA201 quoted -->\n{TOLL}\n", ignore=("SA104",))
    assert notices(document) == []


def test_a_comment_ending_a_line_of_text_covers_its_own_paragraph(audit):
    _, document = audit(f"{TOLL} <!-- source-audit: ignore SA201 quoted from the minister -->\n\n{ACRONYM}\n")
    assert codes(document) == ["SA104"] and codes(document, active=False) == ["SA201"]


def test_disable_and_enable(audit):
    text = (f"<!-- source-audit: disable SA201 SA104 A quoted press release. -->\n{TOLL}\n\n{ACRONYM}\n\n"
            f"<!-- source-audit: enable SA104 -->\n{ACRONYM}\n\n{TOLL}\n\n<!-- source-audit: enable -->\n\n{TOLL}\n")
    _, document = audit(text)
    active = [(f.code, document.document.line_column(f.claim.span.start)[0]) for f in document.findings
              if f.suppression is None and f.verdict is not Verdict.VERIFIED]
    assert active == [("SA104", 7), ("SA201", 13)]
    assert codes(document, active=False) == ["SA104", "SA201", "SA201"]
    assert notices(document) == []


def test_a_disable_without_enable_runs_to_the_end(audit):
    _, document = audit(f"<!-- source-audit: disable A chronology quoted in full. -->\n{TOLL}\n\n{ACRONYM}\n")
    assert codes(document) == [] and notices(document) == []


def test_ignore_file(audit):
    _, document = audit(f"{TOLL}\n\n<!-- source-audit: ignore-file SA201 Satire, clearly labelled. -->\n\n{TOLL}\n"
                        f"\n{ACRONYM}\n")
    assert codes(document) == ["SA104"]


@pytest.mark.parametrize("comment,message", [
    ("<!-- source-audit: ignroe SA201 quoted -->", "ignroe"),
    ("<!-- source-audit: ignore SA999 quoted -->", "SA999"),
    ("<!-- source-audit: ignore SA301 aggregator -->", "per-file-ignores"),
    ("<!-- source-audit: enable -->", "without an open 'disable'"),
    ("<!-- source-audit: -->", "Empty"),
])
def test_invalid_suppressions_are_reported_and_do_nothing(audit, comment, message):
    result, document = audit(f"{comment}\n{TOLL}\n")
    assert notices(document) == ["SA903"] and message in document.notices[0].message
    assert codes(document) == ["SA201"]  # an unknown code never turns into "every rule"
    assert exit_code(result) == 1


def test_comments_in_code_are_examples_not_instructions(audit):
    text = f"```markdown\n<!-- source-audit: ignore SA201 example -->\n```\n\nUse `<!-- source-audit: ignore -->`.\n\n{TOLL}\n"
    _, document = audit(text)
    assert codes(document) == ["SA201"] and notices(document) == []


def test_the_reason_is_not_read_as_claims_and_the_claim_is_read_as_before(audit):
    _, plain = audit(f"Intro.\n\n{TOLL}\n")
    reason = "In 2019 the NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC) said 20 died, a long reason."
    _, commented = audit(f"Intro.\n\n<!-- source-audit: ignore SA201 {reason} -->\n{TOLL}\n")
    assert [f.claim.text for f in commented.findings] == [f.claim.text for f in plain.findings]
    assert [f.verdict for f in commented.findings] == [f.verdict for f in plain.findings]
    assert commented.document.text.count("source-audit") == 1  # the report shows the text as written


def test_codes_may_be_separated_by_commas_and_followed_by_a_colon():
    found = find_suppressions("<!-- source-audit: ignore SA201,SA104: quoted verbatim -->\ntext\n")
    (directive,) = found.directives
    assert directive.codes == {"SA201", "SA104"} and directive.reason == "quoted verbatim"


def test_masking_keeps_offsets_and_lines():
    text = "a <!-- source-audit: ignore\nSA201 x -->\nb"
    found = find_suppressions(text)
    blanked = masked(text, found.comments)
    assert len(blanked) == len(text) and blanked.count("\n") == 2 and "SA201" not in blanked


def test_html_pages_lose_their_comments_so_suppressions_do_not_apply(audit):
    page = (f"<html><head><title>t</title></head><body><article><p>Intro paragraph that is long enough "
            f"to be kept by the extractor as article text.</p><!-- source-audit: ignore SA201 quoted -->"
            f"<p>{TOLL}</p></article></body></html>")
    _, document = audit(page, name="page.html")
    assert "SA201" in codes(document) and notices(document) == []
