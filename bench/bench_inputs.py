"""Measure loading throughput (read, decode, extract, detect language) by input format.

Usage: python bench/bench_inputs.py [MEGABYTES]   (default 4: about that many MB of HTML pages)

Builds HTML pages from tests/fixtures/inputs/en-news-page.html with a generated story body
(varied sentences, so no two paragraphs are alike), and the same stories as plain text (UTF-8 and
Windows-1252) and as JSON Lines records; then times `load_documents` over each directory,
median of 3 runs after one warm-up. Only loading is timed, not the audit.
"""
from __future__ import annotations

import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from claims.loading import LoadFailure, load_documents

TEMPLATE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "inputs" / "en-news-page.html"
SUBJECTS = ["Officials in Brussels", "The interior ministry", "Investigators", "Local residents", "Analysts",
            "The city council", "Prosecutors", "Rescue workers", "Diplomats", "A spokesperson for the agency"]
VERBS = ["said on Tuesday that", "warned that", "confirmed that", "denied reports that", "told reporters that",
         "insisted that", "acknowledged that", "announced that"]
OBJECTS = ["the inquiry would take months", "security at large venues had been reviewed",
           "several suspects remained in custody", "funding for the programme would rise by 12 per cent",
           "the border crossing reopened on Friday", "more than 40 witnesses had been heard",
           "the report would be published before the summer", "no decision had yet been taken",
           "talks with neighbouring states were continuing", "the damage was estimated at 3 million euros"]


def story(rng: random.Random, paragraphs: int) -> list[str]:
    out = []
    for _ in range(paragraphs):
        sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, "
                     f"according to figures released on {rng.randint(1, 28)} March {rng.randint(2015, 2024)}."
                     for _ in range(rng.randint(2, 4))]
        out.append(" ".join(sentences))
    return out


def build(directory: Path, megabytes: float) -> dict[str, Path]:
    template = TEMPLATE.read_text(encoding="utf-8")
    body = re.compile(r'(<div class="story-body">).*?(</div>\s*<aside class="newsletter-signup">)', re.S)
    rng = random.Random(20261121)
    dirs = {name: directory / name for name in ("html", "text-utf8", "text-cp1252", "jsonl-html")}
    for path in dirs.values():
        path.mkdir()
    records, total, number = [], 0, 0
    while total < megabytes * 1_000_000:
        number += 1
        paragraphs = story(rng, rng.randint(8, 20))
        inner = "\n".join(f"    <p>{p}</p>" for p in paragraphs)
        page = body.sub(lambda m: f"{m.group(1)}\n{inner}\n  {m.group(2)}", template)
        page = page.replace("moscow-concert-hall-attack-what-we-know", f"story-{number}")
        (dirs["html"] / f"page-{number:04d}.html").write_text(page, encoding="utf-8")
        text = "\n\n".join(paragraphs) + "\n"
        (dirs["text-utf8"] / f"page-{number:04d}.txt").write_text(text, encoding="utf-8")
        cp1252 = text.replace("per cent", "pour cent é").encode("cp1252")  # at least one non-ASCII byte
        (dirs["text-cp1252"] / f"page-{number:04d}.txt").write_bytes(cp1252)
        records.append(json.dumps({"id": number, "html": page}))
        total += len(page.encode())
    (dirs["jsonl-html"] / "pages.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    return dirs


def measure(path: Path, language: str | None) -> tuple[float, int, int, int]:
    documents = failures = characters = 0
    start = time.perf_counter()
    for item in load_documents([path], language):
        if isinstance(item, LoadFailure):
            failures += 1
        else:
            documents += 1
            characters += len(item.text)
    return time.perf_counter() - start, documents, failures, characters


def main(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        dirs = build(Path(tmp), megabytes)
        print("| input | files | documents | input MB | audited text M chars | seconds | input MB/s "
              "| ms per document |")
        print("|---|---|---|---|---|---|---|---|")
        for name, language in (("text-utf8", None), ("text-utf8", "en"), ("text-cp1252", "en"),
                               ("html", None), ("jsonl-html", None)):
            path = dirs[name]
            size = sum(f.stat().st_size for f in path.iterdir()) / 1_000_000
            files = len(list(path.iterdir()))
            measure(path, language)  # warm-up: imports, lingua models, page cache
            runs = [measure(path, language) for _ in range(3)]
            seconds = statistics.median(r[0] for r in runs)
            documents, failures, characters = runs[0][1:]
            assert failures == 0, (name, failures)
            label = f"{name}{' (--lang en)' if language else ' (language detected)' if name.startswith('text') else ''}"
            print(f"| {label} | {files} | {documents} | {size:.2f} | {characters / 1e6:.2f} | {seconds:.2f} | "
                  f"{size / seconds:.2f} | "
                  f"{1000 * seconds / documents:.2f} |")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 4.0)
