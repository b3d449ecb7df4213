"""Measure how the time of every regular expression grows with the length of a worst-case string.

Usage: python bench/bench_regex.py [--sizes 10000,20000,40000,80000] [--all]

For each pattern of tests/regex_inventory.py (module globals, patterns built while auditing the
examples, bundled signatures) and each string family there (a unit such as "1," or "Word "
repeated, ending in a character that fails the match), times `finditer` over the whole string
(or `.match` for the patterns the code only anchors, see ANCHORED there; best of 2) at each size, and prints per pattern the family whose time grows fastest and the
ratio of the time at each size to the time at the size before: linear work gives about 2x per
doubling, quadratic about 4x. `--all` prints every pattern, not only the 15 slowest-growing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from regex_inventory import all_patterns, run, worst_case_strings  # noqa: E402


def best_time(label: str, pattern, text: str, repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run(label, pattern, text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,20000,40000,80000")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="each pattern's timings on stderr as measured")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    strings = {size: worst_case_strings(size) for size in sizes}
    patterns = all_patterns()
    rows = []
    for label, pattern in patterns.items():
        worst = None
        for family in strings[sizes[0]]:
            times = [best_time(label, pattern, strings[size][family]) for size in sizes]
            # growth from the last size: the clearest signal, least disturbed by constant costs
            growth = times[-1] / max(times[-2], 1e-7)
            if worst is None or (times[-1], growth) > (worst[2][-1], worst[1]):
                worst = (family, growth, times)
        rows.append((label, *worst))
        if args.verbose:
            print(f"{label}: {worst[0]} {[round(t * 1000, 2) for t in worst[2]]}", file=sys.stderr, flush=True)
    rows.sort(key=lambda row: -row[3][-1])
    print(f"{len(patterns)} patterns x {len(strings[sizes[0]])} string families, sizes {sizes}")
    header = " | ".join(f"ms @{s // 1000}k" for s in sizes)
    ratio_header = " | ".join(f"x{sizes[i] // 1000}k/{sizes[i - 1] // 1000}k" for i in range(1, len(sizes)))
    print(f"| pattern | slowest family | {header} | {ratio_header} |")
    print("|---" * (2 + 2 * len(sizes) - 1) + "|")
    for label, family, _, times in rows if args.all else rows[:15]:
        ratios = " | ".join(f"{times[i] / max(times[i - 1], 1e-7):.1f}" for i in range(1, len(times)))
        cells = " | ".join(f"{t * 1000:.2f}" for t in times)
        print(f"| `{label[:70]}` | {family} | {cells} | {ratios} |")
    worst_ratio = max(times[-1] / max(times[-2], 1e-7) for _, _, _, times in rows if times[-1] > 1e-3)
    print(f"\nlargest growth per doubling among patterns taking over 1 ms: {worst_ratio:.1f}x")


if __name__ == "__main__":
    main()
