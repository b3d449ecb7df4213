"""The JUnit XML report, for CI test dashboards: one test case per document.

A document fails when it has contradicted findings, provenance flags or error-level notices
(SA901, SA903), listed in `<failure>`, and errors when it could not be audited (`<error>`).
Unverified findings, other notices and the number of suppressed findings go to the test case's
`<system-out>`. Names are the document paths, made
unique with '#2', '#3'... when the same path is audited twice.
"""
from __future__ import annotations

import re
from collections import Counter
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from audit.model import AuditResult, DocumentResult

from .common import Entry, entries, one_line, plural, report_path, suppressed_count, unique_names

if TYPE_CHECKING:
    from .formats import RenderOptions

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What makes a test case fail, as named in its <failure> message.
_FAILING = {"contradicted": "contradicted claim", "flag": "provenance flag", "notice": "notice"}


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(result: AuditResult, options: RenderOptions) -> str:
    paths = [report_path(d.path, options.root) for d in result.documents]
    cases = []
    failures = errors = 0
    for name, document in zip(unique_names(paths), result.documents):
        case = _case(name, document, options)
        failures += case.find("failure") is not None
        errors += case.find("error") is not None
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
    suites = ET.Element("testsuites", {"name": "source-audit", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "source-audit", **counts, "skipped": "0"})
    suite.extend(cases)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _line(entry: Entry) -> str:
    where = f"{entry.start.line}:{entry.start.column}" if entry.start else "-"
    return _clean(f"{where} {entry.code} {entry.label}: {one_line(entry.message)}")


def _case(name: str, document: DocumentResult, options: RenderOptions) -> ET.Element:
    case = ET.Element("testcase", {"name": _clean(name), "classname": "source-audit"})
    if document.error:
        ET.SubElement(case, "error", {"message": _clean(f"could not be audited: {one_line(document.error)}"),
                                      "type": "unreadable"}).text = _clean(document.error)
        return case
    shown = entries(document, show_verified=options.show_verified)
    failing = [e for e in shown if e.severity == "error" or e.label == "flag"]
    if failing:
        counts = Counter(e.label for e in failing)
        message = ", ".join(plural(counts[label], word) for label, word in _FAILING.items() if counts[label])
        kind = next(label for label in _FAILING if counts[label])
        failure = ET.SubElement(case, "failure", {"message": message, "type": kind})
        failure.text = "\n".join(_line(e) for e in failing)
    other = [_line(e) for e in shown if e not in failing]
    suppressed = suppressed_count(document)
    if suppressed:
        other.append(f"{suppressed} suppressed")
    if other:
        ET.SubElement(case, "system-out").text = "\n".join(other)
    return case
