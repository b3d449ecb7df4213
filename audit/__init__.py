"""source-audit: check claims in articles against a sourced, time-aware reference registry."""

__version__ = "0.1.0"

from .engine import Auditor, Config, audit_document, run  # noqa: E402

__all__ = ["Auditor", "Config", "audit_document", "run", "__version__"]
