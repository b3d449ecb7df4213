"""schema.org ClaimReview JSON-LD, one review per contradicted or verified claim, to paste into a
fact-check page.

Rating scale: 1 (worst) to 5 (best); contradicted claims are rated 1, "False", verified claims 5,
"True". Unverified and suppressed findings are left out: there is no verdict to publish. The
review's `author`, `url` and `datePublished` belong to whoever publishes the page and are left for
them to add; nothing here invents them.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from audit.fingerprint import finding_key
from audit.model import AuditResult, DocumentResult, Finding, Verdict

from .common import is_web_url, one_line, report_path

if TYPE_CHECKING:
    from .formats import RenderOptions

RATINGS = {Verdict.CONTRADICTED: (1, "False"), Verdict.VERIFIED: (5, "True")}
BEST_RATING, WORST_RATING = 5, 1


def render(result: AuditResult, options: RenderOptions) -> str:
    graph = []
    for document in result.documents:
        if document.document is None:
            continue
        for finding in document.findings:
            if finding.verdict in RATINGS and finding.suppression is None:
                graph.append(claim_review(document, finding, options))
    data = {"@context": "https://schema.org", "@graph": graph}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def claim_review(document: DocumentResult, finding: Finding, options: RenderOptions) -> dict:
    doc = document.document
    path = report_path(document.path, options.root)
    value, name = RATINGS[finding.verdict]
    appearance = {"@type": "CreativeWork"}
    if is_web_url(doc.url):
        appearance["url"] = doc.url
    else:
        appearance["name"] = path
    if doc.title:
        appearance["headline"] = doc.title
    claim = {"@type": "Claim", "appearance": appearance, "text": _claim_sentence(doc.text, finding)}
    if doc.published:
        claim["datePublished"] = doc.published.isoformat()
        appearance["datePublished"] = doc.published.isoformat()
    if doc.site:
        claim["author"] = {"@type": "Organization", "name": doc.site}
    review = {
        "@type": "ClaimReview",
        "claimReviewed": one_line(finding.claim.text),
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": BEST_RATING,
                         "worstRating": WORST_RATING, "alternateName": name},
        "itemReviewed": claim,
        "reviewBody": finding.message,
        "identifier": finding_key(path, finding),
    }
    if finding.reference:
        citations = list(dict.fromkeys(s.url for s in finding.reference.sources if is_web_url(s.url)))
        if citations:
            review["citation"] = citations
    return review


def _claim_sentence(text: str, finding: Finding) -> str:
    """The sentence that makes the claim, as context for the reviewed fragment ('killed more than
    150'); the fragment itself when the sentence is not known."""
    sentence = finding.claim.sentence
    if sentence and sentence.contains(finding.claim.span):
        words = one_line(text[sentence.start:sentence.end])
        if words:
            return words
    return one_line(finding.claim.text)
