"""The stable identity of a finding: rule code + document path + normalised claim text.

Baselines, SARIF `partialFingerprints` and report anchors all use this key. It leaves out line
numbers, so a claim that moves within its article keeps its key (semgrep's convention), and it
folds case, accents, punctuation and spacing, so re-wrapping a paragraph does not change it.
"""
from __future__ import annotations

import hashlib
from pathlib import PurePath

from references.normalize import fold_key

from .model import Finding


def normalise_path(path: str) -> str:
    """Forward slashes, no leading './': the same file gives the same key on every platform."""
    text = PurePath(path).as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def finding_key(path: str, finding: Finding) -> str:
    """Hex digest identifying `finding` in the document at `path`."""
    material = "\0".join((finding.code, normalise_path(path), fold_key(finding.claim.text)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
