"""Findings out: JSON, console and HTML reports, all rendered from one AuditResult."""
