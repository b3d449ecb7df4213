"""Measure the registry index at 10k, 100k and 1M aliases: build, cache, memory, matching and lookup.

Usage: python bench/bench_index.py [SIZE ...] [--text-mb MB] [--no-yaml]   (SIZE: 10k 100k 1m; default all)

Each size runs in a fresh subprocess so its memory figures are its own. Registries are synthetic
(English and French organisation-like names, some acronyms) and nested: the 10k aliases are the
first 10k of the 100k, which are the first 100k of the 1M. The text is the same news-like text for
every size, mentioning names of the 10k subset, so hits should barely change with the registry.
YAML loading is measured separately for registries of 10k and 100k entities written as YAML files:
cold (parse, validate, build the index, write the cache) and warm (read the cache), each in a fresh
process. 1M entities are not loaded from YAML: that is the slow path the cache exists to skip.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from references.index import RegistryIndex  # noqa: E402
from references.model import Entity, Location, Names, Registry, Source  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}

EN_ADJ = ("National Federal Royal United Global International Regional Central Northern Southern Eastern "
          "Western Greater Independent Continental Atlantic Pacific Metropolitan Civic Public Imperial Allied "
          "General Joint Free Democratic Popular Standard Modern Strategic Integrated Coastal Rural Urban "
          "Highland Maritime New Old First Grand").split()
EN_SECTOR = ("Textile Energy Mining Health Education Transport Banking Insurance Aviation Shipping Farming "
             "Fisheries Steel Chemical Media Broadcasting Telecom Water Housing Tourism Defence Security Science "
             "Research Heritage Arts Sports Trade Labour Commerce Railway Postal Forestry Dairy Grain Wine Timber "
             "Pharmaceutical Software Engineering Construction Nuclear Solar Wind Oil Gas Coal Finance Credit "
             "Savings Veterans Workers Farmers Teachers Nurses Doctors Lawyers Journalists Students Retail").split()
EN_TYPE = ("Enterprises Council Association Federation Union Authority Agency Institute Foundation Society "
           "Trust Board Commission Bureau League Alliance Group Partners Holdings Corporation Company Press "
           "Network Syndicate Cooperative Consortium Fund Bank Guild Office Committee").split()
PLACES = ("Brittany Normandy Quebec Ontario Lyon Nantes Bordeaux Toulouse Marseille Lille Rennes Grenoble "
          "Montreal Toronto Ottawa Vancouver Manitoba Alberta Yorkshire Kent Wessex Cornwall Devon Dorset "
          "Essex Sussex Surrey Lancashire Cumbria Ulster Munster Leinster Connacht Wales Scotland Glasgow "
          "Edinburgh Dundee Aberdeen Cardiff Swansea Belfast Dublin Cork Galway Limerick Boston Chicago Denver "
          "Dallas Houston Phoenix Seattle Portland Atlanta Miami Detroit Cleveland Pittsburgh Baltimore Richmond "
          "Charlotte Nashville Memphis Louisville Omaha Tulsa Wichita Albany Buffalo Rochester Syracuse Hartford "
          "Providence Burlington Augusta Concord Montpelier Sydney Melbourne Brisbane Perth Adelaide Hobart "
          "Darwin Auckland Wellington Christchurch Dunedin Nairobi Lagos Accra Dakar Abidjan Kampala Lusaka "
          "Harare Maputo Luanda Windhoek Gaborone Durban Pretoria Alsace Lorraine Picardie Champagne Bourgogne "
          "Provence Savoie Auvergne Limousin Aquitaine Gascogne Languedoc Roussillon Corse Anjou Touraine "
          "Poitou Vendée Berry Morvan Jura Vosges Ardennes Artois Flandre Hainaut Namur Liège Genève Lausanne "
          "Neuchâtel Fribourg Valais Tessin Sherbrooke Gatineau Lévis Saguenay Rimouski Québec Montréal").split()
SURNAMES = ("Whitmore Marshall Gautier Chapman Bennett Harrison Fletcher Crawford Sinclair Thornton Holloway "
            "Pemberton Ashworth Blackwood Caldwell Davenport Ellison Fairbanks Garrison Hargreaves Kensington "
            "Lockhart Merriweather Norwood Oakley Prescott Radcliffe Sherwood Templeton Underwood Vickers "
            "Wainwright Yardley Abbott Barlow Cartwright Dunmore Everett Fenwick Gilmore Hastings Ingram "
            "Jennings Kirkland Langley Mansfield Newcombe Osborne Pickering Quinlan Rutherford Spencer Tolliver "
            "Upton Vance Whitaker Dubois Lefebvre Moreau Laurent Simon Michel Leroy Roux David Bertrand Morel "
            "Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefevre Faure Andre Mercier "
            "Blanc Guerin Boyer Garnier Chevalier Francois Legrand Gauthier Garcia Perrin Robin Clement Morin "
            "Nicolas Henry Roussel Mathieu Duval Denis Marchand Lemoine Noel Meyer Dufour Meunier Brun Blanchard "
            "Giraud Joly Riviere Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche Renard Schmitt Roy "
            "Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemaire Renaud Dumas Lacroix Olivier Philippe "
            "Bourgeois Pierre Benoit Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy "
            "Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez").split()
MEDIA = "Media Press News Publishing Films Studios Records Books Radio Television Digital Communications".split()
FR_TYPE = ("Fédération Association Union Confédération Syndicat Office Agence Institut Fondation Société "
           "Conseil Chambre Caisse Mutuelle Coopérative Groupement Comité Observatoire Centre Régie").split()
FR_ADJ = ("nationale municipale régionale départementale générale centrale populaire républicaine "
          "interprofessionnelle française européenne internationale indépendante libre mutuelle solidaire "
          "professionnelle agricole maritime").split()
FR_SECTOR = ("logement agriculteurs pêcheurs transports énergies santés enseignants infirmiers médecins avocats "
             "journalistes étudiants commerçants artisans cheminots viticulteurs éleveurs forestiers retraités "
             "travailleurs locataires propriétaires métiers industries").split()
EN_NEWS = ("the of to and a in that is for on it with as was he said at by from his be have an this has are "
           "not but were they had which their been who will would more after its also one new two first "
           "people year government minister police president officials told last over percent about could "
           "city state week million country report than into some other when there what up out time group "
           "years since against during three official while public former political local under most may "
           "according statement national security support plan market company health workers council "
           "union agency board trade federal central water energy news press minister's spokesperson "
           "Tuesday Monday Wednesday Thursday Friday announced decision budget election court law "
           "members meeting rights funding investigation region school hospital price prices growth "
           "economy bank fund service services authorities residents industry project committee talks "
           "General Royal United National Greater Independent Western Eastern Northern Southern UN EU US "
           "BBC").split()
FR_NEWS = ("le la les de des du un une et à en que qui dans pour sur par au aux est a été selon ont ce cette "
           "il elle ils mais plus leur après avant depuis lors entre sans sous année gouvernement ministre "
           "président région ville police État projet réforme santé énergie grève accord syndicat conseil "
           "déclaré annoncé mardi lundi mercredi jeudi vendredi prix loi élections tribunal enquête "
           "Fédération Association Union nationale générale").split()
MENTIONS_EN = ("A spokesperson for the {n} said on Tuesday that the plan would go ahead.",
               "The {n} ({a}) announced new funding for the region.",
               "Officials at {n} declined to comment.",
               "According to {n}, prices rose by 3 percent last year.",
               "{n} and the council met in the capital on Monday.")
MENTIONS_FR = ("Selon la {n}, le projet sera présenté mardi.",
               "La {n} ({a}) a annoncé une grève pour jeudi.",
               "Le président de {n} a déclaré que l'accord était signé.")


def aliases(count: int) -> list[tuple[str, str]]:
    """The first `count` unique synthetic aliases, as (kind, text): kind is "name" or "acronym"."""
    rng = random.Random(20261121)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        roll = rng.random()
        if roll < 0.74:
            style = rng.random()
            if style < 0.6:
                text = (f"{rng.choice(EN_ADJ)} {rng.choice(EN_SECTOR)} {rng.choice(EN_TYPE)} "
                        f"of {rng.choice(PLACES)}")
            elif style < 0.8:
                text = f"{rng.choice(PLACES)} {rng.choice(EN_SECTOR)} {rng.choice(EN_TYPE)}"
            elif style < 0.9:
                text = f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)} {rng.choice(MEDIA)}"
            else:
                text = f"{rng.choice(EN_ADJ)} {rng.choice(EN_TYPE)} for {rng.choice(EN_SECTOR)} {rng.choice(EN_TYPE)}"
            kind = "name"
        elif roll < 0.90:
            text = (f"{rng.choice(FR_TYPE)} {rng.choice(FR_ADJ)} des {rng.choice(FR_SECTOR)} "
                    f"du {rng.choice(PLACES)}")
            kind = "name"
        elif roll < 0.95:
            text = f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)} {rng.choice(MEDIA)}"
            kind = "name"
        else:
            text = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(3, 6)))
            kind = "acronym"
        if text not in seen:
            seen.add(text)
            out.append((kind, text))
    return out


def entities(count: int) -> list[Entity]:
    """Entities holding `count` aliases: a name, every fourth name an alias, acronyms attached; 1% fabricated.

    Each has its own source URL and location, as imported registries do.
    """
    grouped: list[dict] = []
    names_seen = 0
    for kind, text in aliases(count):
        if kind == "acronym" and grouped:
            grouped[-1]["acronyms"].append(text)
            continue
        names_seen += 1
        if names_seen % 4 == 0 and grouped and not grouped[-1]["aliases"]:
            grouped[-1]["aliases"].append(text)
            continue
        grouped.append({"name": text, "aliases": [], "acronyms": []})
    out = []
    for i, g in enumerate(grouped):
        out.append(Entity(id=f"org.b{i}", name=g["name"], type="organisation",
                          aliases=Names((("any", tuple(g["aliases"])),)) if g["aliases"] else Names(),
                          acronyms=tuple(g["acronyms"]), status="does_not_exist" if i % 100 == 99 else "active",
                          sources=(Source(url=f"https://example.org/registry/{i}"),),
                          location=Location("synthetic.yaml", i + 1)))
    return out


def news_text(megabytes: float, mentioned: list[Entity]) -> str:
    """News-like English and French sentences; about a third of them mention a registry name."""
    rng = random.Random(7)
    weights_en = [1 / (rank + 1) for rank in range(len(EN_NEWS))]
    weights_fr = [1 / (rank + 1) for rank in range(len(FR_NEWS))]
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        french = rng.random() < 0.25
        if rng.random() < 0.3:
            entity = rng.choice(mentioned)
            template = rng.choice(MENTIONS_FR if french else MENTIONS_EN)
            sentence = template.format(n=rng.choice(entity.names()), a=entity.acronyms[0] if entity.acronyms else "")
            sentence = sentence.replace(" ()", "")
        else:
            vocabulary, weights = (FR_NEWS, weights_fr) if french else (EN_NEWS, weights_en)
            words = rng.choices(vocabulary, weights, k=rng.randint(8, 22))
            sentence = " ".join(words).capitalize() + "."
        parts.append(sentence)
        size += len(sentence.encode()) + 1
        if rng.random() < 0.1:
            parts.append("\n\n")
    return " ".join(parts)


def perturbed(names: list[str], rng: random.Random) -> list[str]:
    out = []
    for name in names:
        words = name.split()
        how = rng.randrange(6)
        if how == 0 and len(name) > 6:  # one or two character edits
            chars = list(name)
            for _ in range(rng.randint(1, 2)):
                i = rng.randrange(1, len(chars) - 1)
                chars[i] = rng.choice("aeioustrn")
            name = "".join(chars)
        elif how == 1:
            name = name.lower().replace("é", "e").replace("è", "e").replace("â", "a")
        elif how == 2 and len(words) > 3:
            del words[rng.randrange(len(words))]
            name = " ".join(words)
        elif how == 3 and len(words) > 2:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
            name = " ".join(words)
        elif how == 4:
            name = "the " + name
        out.append(name)
    return out


def rss_mb() -> float:
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_yaml(registry_entities: list[Entity], directory: Path, per_file: int = 10_000) -> None:
    """The entities as registry YAML files (JSON-quoted scalars are valid YAML)."""
    for start in range(0, len(registry_entities), per_file):
        lines = ["entities:"]
        for e in registry_entities[start:start + per_file]:
            lines.append(f"  - id: {e.id}\n    name: {json.dumps(e.name, ensure_ascii=False)}\n    type: organisation")
            if e.aliases:
                lines.append(f"    aliases: {json.dumps(list(e.aliases.all()), ensure_ascii=False)}")
            if e.acronyms:
                lines.append(f"    acronyms: {json.dumps(list(e.acronyms))}")
            if e.status != "active":
                lines.append(f"    status: {e.status}")
            lines.append(f"    sources: [{{url: '{e.sources[0].url}'}}]")
        (directory / f"part-{start // per_file:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def measure(size: str, text_mb: float) -> dict:
    """Everything for one registry size, in this process."""
    from references import cache

    count = SIZES[size]
    base_rss = rss_mb()
    ents = entities(count)
    registry = Registry(entities=tuple(ents), fingerprint=f"synthetic-{size}")
    row: dict = {"size": size, "aliases": count, "entities": len(ents)}
    text = news_text(text_mb, entities(10_000) if count > 10_000 else ents)
    row["text_mb"] = len(text.encode()) / 1e6
    registry_rss = rss_mb()

    row["build_s"], index = timed(lambda: RegistryIndex(registry))
    gc.collect()
    row["rss_mb"] = rss_mb()
    row["peak_mb"] = peak_mb()
    row["index_rss_mb"] = row["rss_mb"] - registry_rss
    row["registry_rss_mb"] = registry_rss - base_rss

    row["match_s"], hits = timed(lambda: index.find_names(text), repeat=3)
    row["match_mb_s"] = row["text_mb"] / row["match_s"]
    row["hits"] = len(hits)
    del hits

    rng = random.Random(11)
    sample = rng.sample(ents, 100)
    queries = perturbed([rng.choice(e.names()) for e in sample], rng)
    times, correct = [], 0
    for entity, query in zip(sample, queries):
        start = time.perf_counter()
        matches = index.lookup(query)
        times.append(time.perf_counter() - start)
        correct += bool(matches) and matches[0].entity_id == entity.id
    row["lookup_ms"] = statistics.median(times) * 1000
    row["lookup_top1"] = correct

    row["pickle_s"], blob = timed(lambda: cache.to_bytes(registry, index))
    row["pickle_mb"] = len(blob) / 2**20
    with tempfile.TemporaryDirectory() as tmp:
        payload = Path(tmp, "cache.pickle")
        payload.write_bytes(blob)
        del blob
        runs = [_run_self("--unpickle", str(payload)) for _ in range(3)]
    row["unpickle_s"] = statistics.median(r["s"] for r in runs)
    row["warm_rss_mb"] = statistics.median(r["rss_mb"] for r in runs)
    return row


def unpickle(path: str) -> dict:
    """Read and unpickle a cache payload in this (fresh) process, as a warm start does."""
    from references import cache

    start = time.perf_counter()
    loaded = cache.from_bytes(Path(path).read_bytes())
    seconds = time.perf_counter() - start
    return {"s": seconds, "rss_mb": rss_mb(), "entities": len(loaded[0].entities)}


def measure_yaml(count: int) -> dict:
    """Cold and warm `load_cached` of `count` entities written as YAML files, each in a fresh process."""
    ents = entities(int(count * 1.45))[:count]
    row: dict = {"entities": count, "aliases": sum(len(e.names()) + len(e.acronyms) for e in ents)}
    with tempfile.TemporaryDirectory() as tmp:
        registry_dir, cache_dir = Path(tmp, "registry"), Path(tmp, "cache")
        registry_dir.mkdir()
        write_yaml(ents, registry_dir)
        row["yaml_mb"] = sum(p.stat().st_size for p in registry_dir.iterdir()) / 1e6
        row["cold_s"] = _in_fresh_process(registry_dir, cache_dir)
        row["cache_mb"] = sum(p.stat().st_size for p in cache_dir.iterdir()) / 2**20
        row["warm_s"] = statistics.median(_in_fresh_process(registry_dir, cache_dir) for _ in range(3))
    return row


def _in_fresh_process(registry_dir: Path, cache_dir: Path) -> float:
    out = subprocess.run([sys.executable, __file__, "--load", str(registry_dir), str(cache_dir)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def load(registry_dir: str, cache_dir: str) -> float:
    from references.cache import load_cached

    start = time.perf_counter()
    loaded = load_cached([registry_dir], include_bundled=False, cache_dir=cache_dir)
    seconds = time.perf_counter() - start
    del loaded  # freeing it is not part of the load
    return seconds


def index_table(rows: list[dict]) -> str:
    out = ["| aliases | entities | build s | index RSS MB | RSS after build MB | peak RSS MB (build) | cache MB | "
           "cache write s | warm load s | RSS after warm load MB | find_names MB/s | s per MB | hits | "
           "lookup ms/query | lookup top-1 |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['size']} | {r['entities']:,} | {r['build_s']:.2f} | {r['index_rss_mb']:.0f} | "
                   f"{r['rss_mb']:.0f} | {r['peak_mb']:.0f} | {r['pickle_mb']:.1f} | {r['pickle_s']:.2f} | "
                   f"{r['unpickle_s']:.3f} | {r['warm_rss_mb']:.0f} | {r['match_mb_s']:.1f} | "
                   f"{r['match_s'] / r['text_mb']:.3f} | "
                   f"{r['hits']:,} | {r['lookup_ms']:.3f} | {r['lookup_top1']}/100 |")
    return "\n".join(out)


def yaml_table(rows: list[dict]) -> str:
    out = ["| entities | aliases | YAML MB | cold load s (YAML + index + cache write) | cache MB | warm load s |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['entities']:,} | {r['aliases']:,} | {r['yaml_mb']:.1f} | {r['cold_s']:.2f} | "
                   f"{r['cache_mb']:.1f} | {r['warm_s']:.3f} |")
    return "\n".join(out)


def _run_self(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(row), file=sys.stderr)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", help="any of 10k 100k 1m (default: all three)")
    parser.add_argument("--text-mb", type=float, default=8.0, help="size of the news-like text (default 8)")
    parser.add_argument("--no-yaml", action="store_true", help="skip the YAML cold/warm load measurements")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--yaml", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--unpickle", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.unpickle:
        print(json.dumps(unpickle(args.unpickle)))
        return
    if args.load:
        print(load(*args.load))
        return
    if args.yaml:
        print(json.dumps(measure_yaml(args.yaml)))
        return
    args.sizes = args.sizes or list(SIZES)
    if set(args.sizes) - set(SIZES):
        parser.error(f"sizes are {', '.join(SIZES)}")
    if args.one:
        print(json.dumps(measure(args.sizes[0], args.text_mb)))
        return
    rows = [_run_self(size, "--one", "--text-mb", str(args.text_mb)) for size in args.sizes]
    print(index_table(rows))
    if len(rows) > 1:
        per_mb = [r["match_s"] / r["text_mb"] for r in rows]
        print(f"\nper-MB matching cost, {rows[-1]['size']} / {rows[0]['size']}: {per_mb[-1] / per_mb[0]:.2f}x")
    if not args.no_yaml:
        print()
        print(yaml_table([_run_self("--yaml", str(count)) for count in (10_000, 100_000)]))


if __name__ == "__main__":
    main()
