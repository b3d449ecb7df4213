"""Measure corpus-scale audits: throughput, start-up, memory, parallel speed-up, and the peers.

Usage:
    python bench/bench_scale.py [--work DIR] [--corpus-mb 10] [--sizes 10k 100k 1m] [--jobs 1 2]
                                [--repeat 3] [--no-cli] [--peers] [--where] [--peer-mb 2] [--chunks]

Everything runs against a synthetic corpus (`make_corpus.py corpus`: English and French news with
registry claims) and the bundled registry layered with a synthetic one of 10k, 100k or 1M aliases
(`make_corpus.py registry`), generated into --work (default: a directory in the system's temporary
directory) on first use. Each configuration is one `source-audit check CORPUS --format jsonl
--output OUT --jobs N` in a fresh process, with a warm compiled-registry cache (the first, cold load
is timed once and reported). Reported per run: wall time, input MB/s, documents/s, the per-MB cost
once the one-article start-up is taken away, the CPU time of the command and its workers, the
largest process's peak RSS and the peak total PSS of the command and its workers (shared pages
counted once). `--peers` times the registry's gazetteer against spaCy's PhraseMatcher
(`spacy.blank("en")`, attr="LOWER", no model) and a naive rapidfuzz scan on the same aliases and
text, and the automaton's walk alone (what the gazetteer could reach if folding cost nothing);
`--where` profiles the audit of the same text and sums the time spent inside compiled calls
(regular expressions, language detection, automata): how fast it could be if its Python cost
nothing; `--chunks` times chunk sizes for `--jobs 2`.
The package is byte-compiled first, as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as on
the CI machines) every run would otherwise compile the source tree again (about 0.17 s).
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_index import SIZES, entities  # noqa: E402
from make_corpus import write_corpus, write_registry  # noqa: E402
from references.cache import SUFFIX as CACHE_SUFFIX, cache_key  # noqa: E402

AS_OF = "2026-11-21"
PACKAGES = ("claims", "references", "audit", "reports")
ARTICLE = ROOT / "examples" / "en-nato-partnerships.md"


def prepare(work: Path, corpus_mb: float, sizes: list[str]) -> dict:
    """The corpus and the registries (generated once), and each registry's cache warmed."""
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{corpus_mb:g}mb.jsonl"
    stats_file = corpus.with_suffix(".stats.json")
    if not stats_file.exists():
        stats_file.write_text(json.dumps(write_corpus(corpus_mb, corpus)))
    out = {"corpus": corpus, "corpus_stats": json.loads(stats_file.read_text()), "registries": {}, "cold": {}}
    for size in sizes:
        registry = work / f"reg-{size}"
        if not (registry / "part-0000.yaml").exists():
            write_registry(size, registry)
        out["registries"][size] = registry
        # The first load under this code and registry parses the YAML and writes the cache: timed
        # once, and again whenever a change of either changes the cache key (the runs must be warm).
        cold = work / f"cold-{size}.json"
        key = cache_key([registry])
        known = json.loads(cold.read_text()) if cold.exists() else {}
        cache_file = work / "cache" / f"{key}{CACHE_SUFFIX}"
        if known.get("key") != key or not cache_file.exists():
            warm = cache_file.exists()  # written by something else: this load says nothing of a cold one
            known = {**_load_cache(registry, work / "cache"), "key": key, "warm": warm}
            cold.write_text(json.dumps(known))
        out["cold"][size] = known
    return out


def _load_cache(registry: Path, cache: Path) -> dict:
    code = ("import json,resource,sys,time;t=time.perf_counter();from references.cache import load_cached;"
            f"r,i=load_cached([{str(registry)!r}],cache_dir={str(cache)!r});"
            "print(json.dumps({'seconds':time.perf_counter()-t,'entities':len(r.entities),"
            "'peak_mb':resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _command(registry: Path, cache: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "audit", "check", *args, "--registry", str(registry), "--cache-dir", str(cache),
            "--as-of", AS_OF]


def run_measured(command: list[str]) -> dict:
    """Wall time, CPU time, the largest process's peak RSS and the peak total PSS of the process tree.

    CPU time is the command's and its workers' (user + system, from the kernel's accounting of
    reaped children): on a shared VM it moves far less from run to run than the wall time does,
    and `--jobs 2` against `--jobs 1` shows what running in parallel costs in work."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = {"pss": 0.0, "rss": 0.0}

    def sample() -> None:
        # RSS is cheap to read, every 0.1 s. PSS walks the process's page tables (about 40 ms for a
        # 2.4 GB process): read every 0.1 s it took half a core from the run being measured, so it
        # is read only once twenty times its own cost has passed (under 5% of one core).
        next_pss = 0.0
        try:
            parent = psutil.Process(process.pid)
            while process.poll() is None:
                processes = [parent, *parent.children(recursive=True)]
                largest = 0.0
                for proc in processes:
                    try:
                        largest = max(largest, proc.memory_info().rss)
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                peak["rss"] = max(peak["rss"], largest / 2**20)
                if time.perf_counter() >= next_pss:
                    began, total_pss = time.perf_counter(), 0.0
                    for proc in processes:
                        try:
                            total_pss += proc.memory_full_info().pss
                        except (psutil.NoSuchProcess, psutil.AccessDenied):
                            continue
                    peak["pss"] = max(peak["pss"], total_pss / 2**20)
                    next_pss = time.perf_counter() + 20 * (time.perf_counter() - began)
                time.sleep(0.1)
        except psutil.NoSuchProcess:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu, "peak_pss_mb": peak["pss"], "peak_rss_mb": peak["rss"]}


def startup(registry: Path, cache: Path, repeat: int = 5) -> float:
    """Median wall time of `source-audit check ARTICLE --format json` with a warm cache."""
    command = _command(registry, cache, str(ARTICLE), "--format", "json")
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # page cache
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def cli_rows(prepared: dict, sizes: list[str], jobs: list[int], work: Path, repeat: int = 1) -> list[dict]:
    """One row per (registry size, jobs): the median wall time of `repeat` runs, the largest peaks."""
    corpus, stats = prepared["corpus"], prepared["corpus_stats"]
    megabytes = stats["bytes"] / 1e6
    rows = []
    for size in sizes:
        registry = prepared["registries"][size]
        boot = startup(registry, work / "cache")
        for n in jobs:
            out = work / f"out-{size}-j{n}.jsonl"
            runs = [run_measured(_command(registry, work / "cache", str(corpus), "--format", "jsonl",
                                          "--output", str(out), "--jobs", str(n))) for _ in range(repeat)]
            measured = {"seconds": statistics.median(r["seconds"] for r in runs),
                        "runs_s": [round(r["seconds"], 2) for r in runs],
                        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
                        "runs_cpu_s": [round(r["cpu_s"], 2) for r in runs],
                        "peak_pss_mb": max(r["peak_pss_mb"] for r in runs),
                        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}
            audited = sum(1 for _ in out.open("rb"))
            seconds = measured["seconds"]
            row = {"aliases": size, "jobs": n, "documents": audited, "input_mb": megabytes, **measured,
                   "startup_s": boot, "mb_s": megabytes / seconds, "docs_s": audited / seconds,
                   "s_per_mb": (seconds - boot) / megabytes, "cpu_s_per_mb": measured["cpu_s"] / megabytes,
                   "cold_load_s": prepared["cold"][size]["seconds"]}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return rows


def cli_table(rows: list[dict]) -> str:
    out = ["| aliases | jobs | documents | input MB | wall s | MB/s | docs/s | s per MB after start-up | "
           "MB/s after start-up | CPU s (all processes) | MB per CPU-second | start-up s (one article) | "
           "peak RSS MB (largest process) | peak PSS MB (all) |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['aliases']} | {r['jobs']} | {r['documents']:,} | {r['input_mb']:.1f} | {r['seconds']:.1f} | "
                   f"{r['mb_s']:.2f} | {r['docs_s']:.1f} | {r['s_per_mb']:.2f} | {1 / r['s_per_mb']:.2f} | "
                   f"{r['cpu_s']:.1f} | {r['input_mb'] / r['cpu_s']:.2f} | "
                   f"{r['startup_s']:.2f} | {r['peak_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} |")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- peers

def peer_row(size: str, corpus: Path, text_mb: float) -> dict:
    """In this (fresh) process: the gazetteer, spaCy's PhraseMatcher and a rapidfuzz scan."""
    import gc

    from references.index import RegistryIndex
    from references.model import Registry

    lines = _first_records(corpus, text_mb)
    texts = [json.loads(line)["text"] for line in lines]
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    generated = entities(SIZES[size])
    aliases = [name for e in generated for name in (*e.names(), *e.acronyms)]
    row: dict = {"aliases": size, "alias_count": len(aliases), "text_mb": megabytes}

    start = time.perf_counter()
    index = RegistryIndex(Registry(entities=tuple(generated)))
    row["ours_build_s"] = time.perf_counter() - start
    runs, hits = [], 0
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        hits = sum(len(index.find_names(text)) for text in texts)
        runs.append(time.perf_counter() - start)
    row["ours_s"], row["ours_hits"] = statistics.median(runs), hits
    row.update(_walk_alone(index, texts))
    del index
    gc.collect()

    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    start = time.perf_counter()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    batch = 10_000
    for first in range(0, len(aliases), batch):
        matcher.add(f"A{first}", list(nlp.tokenizer.pipe(aliases[first:first + batch])))
    row["spacy_build_s"] = time.perf_counter() - start
    runs = []
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        hits = sum(len(matcher(doc)) for doc in nlp.tokenizer.pipe(texts))
        runs.append(time.perf_counter() - start)
    row["spacy_s"], row["spacy_hits"] = statistics.median(runs), hits
    del matcher
    gc.collect()

    from rapidfuzz import fuzz, process

    lowered = [a.lower() for a in aliases]
    scanned, found, start = 0, 0, time.perf_counter()
    for text in texts:  # every 1..6-word window against every alias: until 5 s, then extrapolated
        words = text.lower().split()
        for i in range(len(words)):
            for width in range(1, 7):
                if i + width <= len(words):
                    found += process.extractOne(" ".join(words[i:i + width]), lowered, scorer=fuzz.ratio,
                                                score_cutoff=90, processor=None) is not None
        scanned += len(text.encode())
        if time.perf_counter() - start > 5:
            break
    seconds = time.perf_counter() - start
    row["rapidfuzz_mb_s"] = scanned / 1e6 / seconds
    row["rapidfuzz_scanned_mb"] = scanned / 1e6
    row["ours_mb_s"] = megabytes / row["ours_s"]
    row["spacy_mb_s"] = megabytes / row["spacy_s"]
    return row


def _walk_alone(index, texts: list[str]) -> dict:
    """What the gazetteer's design can reach at best: the automaton's walk alone over texts folded and
    squeezed beforehand (folding, squeezing and mapping hits back cost the rest), the same keys in
    daachorse's byte-wise automaton, and, when it is installed, ahocorasick_rs (Rust's aho-corasick
    crate) over the same keys and texts."""
    from references.index import _squeeze
    from references.normalize import fold

    automaton = index._names
    automaton.build()
    if automaton.backend != "daachorse":
        return {}
    prepared = [_squeeze(fold(text))[0] for text in texts]
    out = {"walk_s": _median_time(lambda: [automaton._automaton.find_overlapping(text) for text in prepared])}
    # the same keys byte-wise over UTF-8 (mapping byte offsets back to characters not counted)
    from daachorse import DoubleArrayAhoCorasick

    table = automaton._table._keys
    keys = [f" {table[i]} " for i in range(len(table))]
    encoded = [text.encode() for text in prepared]
    bytewise = DoubleArrayAhoCorasick([key.encode() for key in keys])
    out["bytewise_walk_s"] = _median_time(lambda: [bytewise.find_overlapping(text) for text in encoded])
    try:
        import ahocorasick_rs
    except ImportError:
        return out
    rust = ahocorasick_rs.AhoCorasick(keys)
    out["rust_walk_s"] = _median_time(lambda: [rust.find_matches_as_indexes(text, overlapping=True)
                                               for text in prepared])
    return out


def _median_time(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _first_records(corpus: Path, text_mb: float) -> list[str]:
    """The corpus's first lines, up to the first that brings their text to `text_mb` MB."""
    lines, total = [], 0
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            lines.append(line)
            total += len(json.loads(line)["text"].encode())
            if total >= text_mb * 1e6:
                break
    return lines


def peer_table(rows: list[dict]) -> str:
    out = ["| aliases | text MB | gazetteer build s | gazetteer MB/s | gazetteer hits | spaCy build s | spaCy MB/s | "
           "spaCy hits | gazetteer / spaCy | walk alone MB/s (/ spaCy) | byte-wise walk MB/s | "
           "ahocorasick_rs walk MB/s | rapidfuzz scan MB/s (text scanned) | gazetteer / rapidfuzz |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        mb = r["text_mb"]
        walk = (f"{mb / r['walk_s']:.1f} ({mb / r['walk_s'] / r['spacy_mb_s']:.1f}x)" if "walk_s" in r else "–")
        bytewise, rust = (f"{mb / r[k]:.1f}" if k in r else "–" for k in ("bytewise_walk_s", "rust_walk_s"))
        out.append(f"| {r['aliases']} | {mb:.1f} | {r['ours_build_s']:.1f} | {r['ours_mb_s']:.2f} | "
                   f"{r['ours_hits']:,} | {r['spacy_build_s']:.1f} | {r['spacy_mb_s']:.2f} | {r['spacy_hits']:,} | "
                   f"{r['ours_mb_s'] / r['spacy_mb_s']:.1f}x | {walk} | {bytewise} | {rust} | "
                   f"{r['rapidfuzz_mb_s']:.5f} "
                   f"({r['rapidfuzz_scanned_mb'] * 1000:.0f} KB) | {r['ours_mb_s'] / r['rapidfuzz_mb_s']:,.0f}x |")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- where

# Compiled calls the audit makes, by library, as cProfile names them ("<method 'search' of
# 're.Pattern' objects>"). A lower bound of what they cost: a `finditer` scans while its caller
# iterates, in time cProfile gives the caller, and str's own methods count as Python's work.
# Accessors of a match (`group`, `start`) are left out: cProfile's own cost per call is most of theirs.
_COMPILED = (("regular expressions", ("re.Pattern",)), ("language detection", ("lingua",)),
             ("automata", ("daachorse", "ahocorasick")))


def where_row(size: str, registry: Path, cache: Path, corpus: Path, text_mb: float) -> dict:
    """In this (fresh) process: the audit of the corpus's first `text_mb` MB (`--jobs 1`, warm cache),
    timed, then profiled, with the time spent inside compiled calls summed by library: how fast the
    audit could be if its Python code cost nothing."""
    import cProfile
    import datetime as dt
    import pstats

    from audit.engine import Auditor, Config, iter_results

    lines = _first_records(corpus, text_mb)
    megabytes = sum(len(json.loads(line)["text"].encode()) for line in lines) / 1e6
    part = cache.parent / f"{corpus.stem}-first-{text_mb:g}mb.jsonl"  # the audit reads files
    part.write_text("".join(lines), encoding="utf-8")
    config = Config(registries=(str(registry),), cache_dir=str(cache), as_of=dt.date.fromisoformat(AS_OF))
    auditor = Auditor.from_config(config)
    auditor.index.build_automata()  # as a corpus run does early on
    for _ in iter_results([ARTICLE], config, auditor):  # the lazy imports done
        pass
    cpu = []
    for _ in range(3):
        start = time.process_time()
        for _ in iter_results([part], config, auditor):
            pass
        cpu.append(time.process_time() - start)
    profile = cProfile.Profile()
    profile.enable()
    for _ in iter_results([part], config, auditor):
        pass
    profile.disable()
    stats = pstats.Stats(profile).stats
    compiled = {name: 0.0 for name, _ in _COMPILED}
    for (filename, _, function), (_, _, own, _, _) in stats.items():
        if filename != "~":
            continue
        for name, marks in _COMPILED:
            if any(mark in function for mark in marks):
                compiled[name] += own
                break
    return {"aliases": size, "text_mb": megabytes, "cpu_s": statistics.median(cpu),
            "profiled_s": sum(own for _, _, own, _, _ in stats.values()), "compiled": compiled}


def where_table(rows: list[dict]) -> str:
    names = [name for name, _ in _COMPILED]
    out = ["| aliases | text MB | CPU s | MB per CPU-second | profiled s | "
           + " | ".join(f"in {name} s" for name in names)
           + " | compiled calls s (at least) | MB/s if Python cost nothing (at most) |",
           "|---|---|---|---|---|" + "---|" * len(names) + "---|---|"]
    for r in rows:
        compiled = sum(r["compiled"].values())
        out.append(f"| {r['aliases']} | {r['text_mb']:.1f} | {r['cpu_s']:.2f} | {r['text_mb'] / r['cpu_s']:.2f} | "
                   f"{r['profiled_s']:.2f} | " + " | ".join(f"{r['compiled'][n]:.2f}" for n in names)
                   + f" | {compiled:.2f} | {r['text_mb'] / compiled:.1f} |")
    return "\n".join(out)


# ----------------------------------------------------------------------------------- chunks

def chunk_rows(prepared: dict, size: str, work: Path, chunk_sizes: list[int]) -> list[dict]:
    """In this process: iter_results over the corpus, --jobs 2, for each chunk size (and --jobs 1)."""
    import datetime as dt

    from audit import parallel
    from audit.engine import Auditor, Config, iter_results

    config = Config(registries=(str(prepared["registries"][size]),), cache_dir=str(work / "cache"),
                    as_of=dt.date.fromisoformat(AS_OF))
    auditor = Auditor.from_config(config)
    megabytes = prepared["corpus_stats"]["bytes"] / 1e6
    rows = []
    for jobs, chunk in [(1, 0)] + [(2, c) for c in chunk_sizes]:
        if chunk:
            parallel.CHUNK_TASKS = chunk
        start = time.perf_counter()
        count = sum(1 for _ in iter_results([prepared["corpus"]], config, auditor, jobs=jobs))
        seconds = time.perf_counter() - start
        rows.append({"jobs": jobs, "chunk": chunk, "seconds": seconds, "documents": count, "mb_s": megabytes / seconds})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def chunk_table(rows: list[dict]) -> str:
    base = rows[0]["seconds"]
    out = ["| jobs | chunk (tasks) | seconds | MB/s | speed-up over --jobs 1 |", "|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['jobs']} | {r['chunk'] or '-'} | {r['seconds']:.1f} | {r['mb_s']:.2f} | "
                   f"{base / r['seconds']:.2f}x |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "source-audit-bench")
    parser.add_argument("--corpus-mb", type=float, default=10.0)
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    parser.add_argument("--peers", action="store_true", help="time spaCy's PhraseMatcher and a rapidfuzz scan")
    parser.add_argument("--peer-mb", type=float, default=2.0, help="text for the peer comparison (default 2 MB)")
    parser.add_argument("--chunks", action="store_true", help="time chunk sizes for --jobs 2 (first --sizes)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per CLI row; the median is reported (default 1)")
    parser.add_argument("--where", action="store_true",
                        help="profile the audit of --peer-mb MB: time in compiled calls by library")
    parser.add_argument("--peer-one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--where-one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_one:
        print(json.dumps(peer_row(args.peer_one[0], Path(args.peer_one[1]), args.peer_mb)))
        return
    if args.where_one:
        size, registry, cache, corpus = args.where_one
        print(json.dumps(where_row(size, Path(registry), Path(cache), Path(corpus), args.peer_mb)))
        return
    for package in PACKAGES:  # imported from bytecode, as an installed copy is
        compileall.compile_dir(ROOT / package, quiet=1)
    prepared = prepare(args.work, args.corpus_mb, args.sizes)
    stats = prepared["corpus_stats"]
    print(f"corpus: {prepared['corpus']} ({stats['documents']:,} documents, {stats['bytes'] / 1e6:.1f} MB, "
          f"{stats['text_bytes'] / 1e6:.1f} MB of text)")
    for size in args.sizes:
        cold = prepared["cold"][size]
        first = "first load (the cache was already there)" if cold.get("warm") else "first (cold) load"
        print(f"registry {size}: {cold['entities']:,} entities with the bundled ones; {first} "
              f"{cold['seconds']:.1f} s, peak {cold['peak_mb']:.0f} MB")
    results: dict = {"corpus": stats}
    if not args.no_cli:
        rows = cli_rows(prepared, args.sizes, args.jobs, args.work, args.repeat)
        results["cli"] = rows
        print(cli_table(rows))
        by = {(r["aliases"], r["jobs"]): r for r in rows}
        sizes = [s for s in args.sizes if (s, 1) in by]
        if len(sizes) > 1:
            print(f"\nper-MB cost, {sizes[-1]} / {sizes[0]} aliases (--jobs 1): "
                  f"{by[(sizes[-1], 1)]['s_per_mb'] / by[(sizes[0], 1)]['s_per_mb']:.2f}x")
        for size in args.sizes:
            if (size, 1) in by and (size, 2) in by:
                print(f"--jobs 2 / --jobs 1 at {size} (after start-up): "
                      f"{by[(size, 1)]['s_per_mb'] / by[(size, 2)]['s_per_mb']:.2f}x; CPU of --jobs 2 / --jobs 1: "
                      f"{by[(size, 2)]['cpu_s'] / by[(size, 1)]['cpu_s']:.2f}x")
    if args.peers:
        peers = []
        for size in args.sizes:
            done = subprocess.run([sys.executable, __file__, "--peer-one", size, str(prepared["corpus"]),
                                   "--peer-mb", str(args.peer_mb)], cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                print(f"peers at {size} failed: {done.stderr[-1500:]}", file=sys.stderr)
                continue
            peers.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(peers[-1]), file=sys.stderr, flush=True)
        results["peers"] = peers
        print()
        print(peer_table(peers))
    if args.where:
        rows = []
        for size in args.sizes:
            done = subprocess.run([sys.executable, __file__, "--where-one", size, str(prepared["registries"][size]),
                                   str(args.work / "cache"), str(prepared["corpus"]), "--peer-mb", str(args.peer_mb)],
                                  cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                print(f"profile at {size} failed: {done.stderr[-1500:]}", file=sys.stderr)
                continue
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        results["where"] = rows
        print()
        print(where_table(rows))
    if args.chunks:
        rows = chunk_rows(prepared, args.sizes[0], args.work, [8, 16, 32, 64, 100])
        results["chunks"] = rows
        print()
        print(chunk_table(rows))
    (args.work / "results.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
