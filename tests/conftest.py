"""Shared fixtures: the bundled registry and its auditor are built once per test session."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from audit.engine import Auditor, audit_document
from claims.loading import parse_document
from references.loader import load_registry

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent.parent / "shared" / "seeds"
AS_OF = dt.date(2026, 11, 21)

# Property tests (test_properties*.py) are reproducible and write nothing: the same examples on
# every run and machine, no example database. HYPOTHESIS_PROFILE=deep explores further, locally
# (tests that set their own max_examples keep it).
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=60,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", settings.get_profile("ci"), derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def registry():
    return load_registry([])


@pytest.fixture(scope="session")
def auditor(registry):
    return Auditor(registry)


@pytest.fixture(scope="session")
def index(auditor):
    return auditor.index


@pytest.fixture
def runner():
    return CliRunner()


def check(runner: CliRunner, *args: str):
    """`source-audit check ARGS` in this process; an exception inside it fails the test with its traceback."""
    from audit.cli import cli

    return runner.invoke(cli, ["check", *args], catch_exceptions=False)


@pytest.fixture
def audit_text(auditor):
    """Audit a text as if read from `path`; returns the DocumentResult."""

    def run(text: str, path: str = "article.md", as_of: dt.date | None = AS_OF, language: str | None = None):
        document = parse_document(path, text, language)
        return audit_document(document, auditor, as_of or document.published or AS_OF)

    return run


def findings_for(result, substring: str):
    """Findings whose claim text contains `substring`."""
    return [f for f in result.findings if substring in f.claim.text]


def verdicts_for(result, substring: str) -> set[str]:
    return {f.verdict.value for f in findings_for(result, substring)}


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_directory(tmp_path_factory):
    """Tests never write into the user's cache directory; they share one warm cache instead."""
    import os
    previous = os.environ.get("SOURCE_AUDIT_CACHE_DIR")
    os.environ["SOURCE_AUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("SOURCE_AUDIT_CACHE_DIR", None)
    else:
        os.environ["SOURCE_AUDIT_CACHE_DIR"] = previous
