"""Measure whole-audit throughput on one document of N MB built from the bundled examples.

Usage: python bench/bench_audit.py [MEGABYTES ...]   (default: 0.1 0.5 1)
Prints MB, seconds (median of 3 runs, registry loaded once outside the timing) and MB/s.
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from audit.engine import Auditor, Config, audit_document
from claims.loading import parse_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def corpus(megabytes: float) -> str:
    texts = [p.read_text(encoding="utf-8").split("---\n", 2)[-1] for p in sorted(EXAMPLES.glob("en-*"))]
    unit = "\n\n".join(texts) + "\n\n"
    return unit * max(1, int(megabytes * 1_000_000 / len(unit.encode())))


def main(sizes: list[float]) -> None:
    auditor = Auditor.from_config(Config())
    print(f"{'MB':>6} {'seconds':>8} {'MB/s':>6} {'findings':>9}")
    for size in sizes:
        text = corpus(size)
        mb = len(text.encode()) / 1_000_000
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            document = parse_document("bench.txt", text, "en")
            result = audit_document(document, auditor, dt.date(2026, 11, 21))
            runs.append(time.perf_counter() - start)
        seconds = statistics.median(runs)
        print(f"{mb:6.2f} {seconds:8.2f} {mb / seconds:6.2f} {len(result.findings):9d}")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [0.1, 0.5, 1.0])
