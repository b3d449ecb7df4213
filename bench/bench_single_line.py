"""Time the audit of one article that is a single line of N MB (default 5), sparse and dense.

Usage: python bench/bench_single_line.py [MEGABYTES]

Sparse: ordinary prose with a claim at each end. Dense: "NATO has 32 members and the attack killed
22 people." repeated, about 60,000 claims per MB, far denser than any article. The registry is
loaded once, before timing.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.engine import Auditor, audit_document  # noqa: E402
from claims.loading import parse_document  # noqa: E402
from references.loader import load_registry  # noqa: E402

FILLER = "Officials met in the capital on a grey morning to talk about budgets, roads and the weather. "
DENSE = "NATO has 32 members and the attack killed 22 people. "


def main() -> None:
    size = int(float(sys.argv[1] if len(sys.argv) > 1 else 5) * 2**20)
    auditor = Auditor(load_registry([]))
    for label, unit in (("sparse", FILLER), ("dense", DENSE)):
        text = "NATO has 32 members. " + unit * (size // len(unit)) + "NATO has 30 members."
        start = time.perf_counter()
        result = audit_document(parse_document("line.txt", text, None), auditor, dt.date(2026, 11, 21))
        print(f"{size / 2**20:g} MB single line, {label}: {time.perf_counter() - start:.1f} s, "
              f"{len(result.findings):,} findings", flush=True)


if __name__ == "__main__":
    main()
