"""Generate a deterministic synthetic news corpus (English and French) and synthetic registries.

Usage:
    python bench/make_corpus.py corpus MEGABYTES OUT.jsonl [--seed N] [--dir DIR]
    python bench/make_corpus.py registry SIZE OUT_DIR            (SIZE: 10k, 100k or 1m aliases)

The corpus is JSON Lines, one article per line: `id`, `url`, `published`, `title`, `text` (no
`language`: it is detected, as in a crawl). About three quarters of the articles are English, a
quarter French, 2-9 KB each. Most sentences are ordinary news prose (people, places, weekdays,
prices, budgets, local bodies no registry knows); about one in eleven carries a checkable claim about the bundled registry (member
counts of NATO, the EU, ASEAN..., death tolls of well-known attacks, founding dates, acronyms,
now and then a wrong or outdated figure or a fabricated body), and about one in eight names a body
of the synthetic registry (the 10k subset, so the text is the same whichever registry size is
audited). `--dir DIR` also writes the articles as Markdown files with front matter.

The registry command writes the synthetic entities of `bench_index.py` (nested: the 10k aliases
are the first 10k of the 100k, which are the first 100k of the 1M) as registry YAML files, to be
layered over the bundled registry with `--registry OUT_DIR`. Same seed, same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import SIZES, entities, write_yaml  # noqa: E402

PEOPLE = ("Sarah Thompson", "David Okafor", "Maria Lopez", "James Whitfield", "Amina Diallo", "Peter Novak",
          "Claire Dubois", "Jean-Marc Lefèvre", "Sophie Martin", "Hélène Girard", "Karim Benali", "Luc Moreau",
          "Emma Clarke", "Tom Gallagher", "Nadia Haddad", "Ravi Sharma", "Ingrid Larsen", "Paolo Rossi")
PLACES_EN = ("Leeds", "Bristol", "Glasgow", "Cardiff", "Manchester", "Ottawa", "Boston", "Denver", "Dublin", "Cork",
             "Lyon", "Hamburg", "Rotterdam", "Brisbane", "Nairobi", "Accra", "Lisbon", "Gdansk")
PLACES_FR = ("Lyon", "Nantes", "Bordeaux", "Toulouse", "Rennes", "Lille", "Grenoble", "Montpellier", "Strasbourg",
             "Québec", "Montréal", "Genève", "Liège", "Namur", "Dijon", "Brest", "Tours", "Limoges")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
TOPICS_EN = ("housing", "rail services", "the water network", "school funding", "hospital waiting lists",
             "energy prices", "the harbour project", "bus routes", "flood defences", "broadband coverage")
TOPICS_FR = ("le logement", "les transports", "le réseau d'eau", "les écoles", "les urgences", "les prix de l'énergie",
             "le projet du port", "les lignes de bus", "la prévention des crues", "la fibre optique")

PROSE_EN = (
    "{person}, who has followed the talks for months, said the decision came after weeks of negotiation.",
    "Local officials in {place} said the new rules on {topic} would take effect on {weekday}.",
    "The ministry said it would publish a review of {topic} before the end of the year.",
    "Residents described long queues outside the town hall in {place} on {weekday} morning.",
    "Critics say the plan does little to address {topic}, and opposition members called for a vote.",
    "\"We are listening to people's concerns,\" {person} told reporters in {place}.",
    "The proposal will be debated again next month, when the committee meets in {place}.",
    "Several businesses in the city centre stayed closed on {weekday} as the strike continued.",
    "Officials declined to say how long the work on {topic} would take.",
    "Unions said they would meet the employers again on {weekday} to discuss pay.",
    "The report, published on {weekday}, found that {topic} had improved in most districts.",
    "{person} said the government had been warned about {topic} several times.",
    "Prices rose by {pct} percent over the past year, according to the statistics office.",
    "The council approved a budget of {money} million pounds for {topic} on {weekday}.",
    "Police in {place} said the road would reopen later in the day.",
    "Turnout in {place} was lower than at the last election, local officials said.",
    "The company said about {count} jobs would move to its new site near {place}.",
    "Campaigners gathered outside the court in {place} as the hearing began.",
    "Analysts expect the central bank to keep interest rates unchanged at its next meeting.",
    "The minister is expected to visit {place} on {weekday} to meet families affected by the floods.",
    "Temperatures are forecast to fall sharply over the weekend, with snow on high ground.",
    "The museum in {place} reopened on {weekday} after two years of renovation.",
    "{person}, who chairs the {unknown}, said the talks would resume on {weekday}.",
    "Members of the {unknown} voted to accept the offer.",
)
PROSE_FR = (
    "{person}, qui suit le dossier depuis des mois, a indiqué que la décision avait été prise {weekday}.",
    "Les élus de {place} ont annoncé que les nouvelles règles sur {topic} entreraient en vigueur {weekday}.",
    "Le ministère a promis un rapport sur {topic} avant la fin de l'année.",
    "Des habitants de {place} ont fait la queue devant la mairie {weekday} matin.",
    "L'opposition estime que le projet ne règle pas la question de {topic}.",
    "« Nous entendons les inquiétudes des habitants », a déclaré {person} à {place}.",
    "Le texte sera de nouveau examiné le mois prochain par la commission.",
    "Plusieurs commerces du centre-ville sont restés fermés {weekday} en raison de la grève.",
    "Les prix ont augmenté de {pct} % sur un an, selon l'Insee.",
    "Le conseil municipal a voté un budget de {money} millions d'euros pour {topic}.",
    "La police de {place} a indiqué que la route serait rouverte dans la journée.",
    "Les syndicats doivent rencontrer la direction {weekday} pour discuter des salaires.",
    "Selon {person}, le gouvernement avait été alerté à plusieurs reprises.",
    "Environ {count} emplois seront transférés sur le nouveau site de {place}.",
    "Le musée de {place} a rouvert ses portes {weekday} après deux ans de travaux.",
    "Les températures devraient baisser nettement ce week-end, avec de la neige en montagne.",
)
# sentences with claims the bundled registry speaks to (some right, some wrong or outdated)
CLAIMS_EN = (
    "NATO now has 32 members, after Sweden joined in March 2024.",
    "The alliance's 30 members met in Brussels to discuss the plan.",
    "The European Union and its 27 member states agreed the new sanctions.",
    "The Association of Southeast Asian Nations (ASEAN), which has ten members, issued a statement.",
    "The Crocus City Hall attack near Moscow in March 2024 killed at least 145 people.",
    "The November 2015 Paris attacks killed 130 people and injured more than 400.",
    "The 2016 Brussels bombings killed 32 people and injured more than 300.",
    "The Manchester Arena bombing killed 22 people in May 2017.",
    "The 2016 Nice truck attack killed 86 people on Bastille Day.",
    "Islamic State – Khorasan Province (ISKP) claimed responsibility for the attack.",
    "The Shanghai Cooperation Organisation was founded in 2001.",
    "The Financial Action Task Force (FATF) placed the country on its grey list.",
    "Officials from the Global Counterterrorism Forum (GCTF) met in The Hague.",
    "A report by the NATO Counter-Terrorism Intelligence Fusion Centre warned of new threats.",
    "The Gulf Cooperation Council, founded in 1981, has six members.",
    "The Christchurch mosque shootings killed 51 people in March 2019.",
    "Interpol, which has 196 member countries, issued a red notice.",
    "The Council of Europe was founded in 1949 and now has 46 member states.",
    "The 2004 Madrid train bombings killed 191 people.",
    "The Global Internet Forum to Counter Terrorism (GIFCT) was founded in 2017.",
)
CLAIMS_FR = (
    "L'OTAN compte désormais 32 membres depuis l'adhésion de la Suède en mars 2024.",
    "Les attentats du 13 novembre 2015 ont fait 130 morts et plus de 400 blessés.",
    "L'Union européenne et ses 27 États membres ont adopté de nouvelles sanctions.",
    "L'attentat du Crocus City Hall, en mars 2024, a fait au moins 145 morts.",
    "L'État islamique au Khorasan (EI-K) a revendiqué l'attaque.",
    "L'Organisation de coopération de Shanghai a été fondée en 2001.",
    "Le Groupe d'action financière (GAFI) a placé le pays sur sa liste grise.",
    "L'attentat de Nice du 14 juillet 2016 a fait 86 morts.",
    "La Direction générale de la sécurité intérieure (DGSI) a été créée en 2014.",
    "Le Conseil de l'Europe, fondé en 1949, compte 46 États membres.",
)
MENTIONS_EN = ("A spokesperson for the {n} said on {weekday} that the plan would go ahead.",
               "The {n} announced new funding for {topic}.",
               "Officials at the {n} declined to comment on the figures.",
               "According to the {n}, demand rose by {pct} percent last year.",
               "The {n} and the city council met in {place} on {weekday}.")
MENTIONS_FR = ("Selon la {n}, le projet sera présenté {weekday}.",
               "La {n} a annoncé une grève pour {weekday}.",
               "Le président de la {n} a déclaré que l'accord était signé.")
# bodies that no registry here knows (their words are not the synthetic registry's): each one is
# looked up in the registry for the closest names, as unknown bodies in real news are
UNKNOWN_FIRST = ("Riverside", "Northfield", "Lakeside", "Hillcrest", "Brookvale", "Oakridge", "Fernhill", "Millbrook",
                 "Ashford", "Kingsmead", "Westmoor", "Eastbrook", "Harbourside", "Elmstead", "Redcliffe", "Thornbury",
                 "Greenholm", "Stonebridge", "Maplewood", "Foxley", "Castlemere", "Bramhall", "Silverdale", "Larkhill",
                 "Clearwater", "Rosebank", "Highgate", "Pinecrest", "Saltmarsh", "Willowbrook", "Kestrel", "Ravensworth",
                 "Copperfield", "Birchwood", "Netherby", "Ambleside")
UNKNOWN_REST = ("Tenants Association", "Ferry Workers Union", "Allotment Society", "Residents Council",
                "Cycling Campaign Group", "Parents Forum", "Lifeboat Trust", "Choral Society", "Chamber of Trade",
                "Heritage Foundation", "Taxi Drivers Association", "Youth Football League", "Food Bank Network",
                "Community Land Trust", "Bus Users Group", "Rowing Club Committee", "Beekeepers Association",
                "Housing Cooperative", "Carers Alliance", "Arts Council", "Market Traders Federation",
                "Volunteer Fire Brigade Association", "Anglers Society", "Tenants Union")
DOMAINS = ("example-news.com", "dailytribune.example", "citypost.example", "lemonde-local.example",
           "reuters.com", "bbc.com", "eureporter.co", "asia-news.biz")


def _fill(template: str, rng: random.Random, french: bool) -> str:
    return template.format(
        person=rng.choice(PEOPLE), place=rng.choice(PLACES_FR if french else PLACES_EN),
        weekday=rng.choice(WEEKDAYS_FR if french else WEEKDAYS_EN),
        topic=rng.choice(TOPICS_FR if french else TOPICS_EN), pct=rng.choice(("2", "3.5", "4", "7", "12")),
        money=rng.choice(("1.2", "4", "15", "32", "250")), count=rng.choice(("40", "120", "300", "1,500")),
        unknown=f"{rng.choice(UNKNOWN_FIRST)} {rng.choice(UNKNOWN_REST)}", n="{n}")


def article(number: int, rng: random.Random, mentioned: list[list[str]]) -> dict:
    """One article: 2-9 KB of paragraphs, prose with claims and registry mentions mixed in."""
    french = rng.random() < 0.25
    prose, claims, mentions = (PROSE_FR, CLAIMS_FR, MENTIONS_FR) if french else (PROSE_EN, CLAIMS_EN, MENTIONS_EN)
    target = rng.randint(2_000, 9_000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            if roll < 0.09:
                sentence = rng.choice(claims)
            elif roll < 0.21:
                names = rng.choice(mentioned)
                sentence = _fill(rng.choice(mentions), rng, french).format(n=rng.choice(names))
            else:
                sentence = _fill(rng.choice(prose), rng, french)
            sentences.append(sentence)
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    domain = rng.choice(DOMAINS)
    year, month, day = rng.choice((2024, 2025, 2026)), rng.randint(1, 12), rng.randint(1, 28)
    title = paragraphs[0].split(".")[0][:80]
    return {"id": f"a{number:07d}", "url": f"https://{domain}/{year}/{month:02d}/story-{number}",
            "published": f"{year}-{month:02d}-{day:02d}", "title": title, "text": "\n\n".join(paragraphs)}


def write_corpus(megabytes: float, out: Path, seed: int = 20261121, directory: Path | None = None) -> dict:
    """Articles until the JSON Lines file holds `megabytes` MB (10^6 bytes); returns counts."""
    rng = random.Random(seed)
    mentioned = [e.names() for e in entities(10_000) if e.exists]
    target = int(megabytes * 1_000_000)
    size = documents = text_bytes = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        while size < target:
            record = article(documents + 1, rng, mentioned)
            line = json.dumps(record, ensure_ascii=False) + "\n"
            handle.write(line)
            size += len(line.encode())
            text_bytes += len(record["text"].encode())
            documents += 1
            if directory is not None:
                front = (f"---\ntitle: {json.dumps(record['title'], ensure_ascii=False)}\nurl: {record['url']}\n"
                         f"published: {record['published']}\n---\n")
                (directory / f"{record['id']}.md").write_text(front + record["text"] + "\n", encoding="utf-8")
    return {"documents": documents, "bytes": size, "text_bytes": text_bytes}


def write_registry(size: str, out: Path) -> dict:
    """The synthetic entities holding SIZE aliases, as registry YAML files in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    generated = entities(SIZES[size])
    write_yaml(generated, out)
    return {"entities": len(generated), "aliases": SIZES[size]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    corpus = sub.add_parser("corpus", help="write a JSON Lines corpus of about MEGABYTES MB")
    corpus.add_argument("megabytes", type=float)
    corpus.add_argument("out", type=Path)
    corpus.add_argument("--seed", type=int, default=20261121)
    corpus.add_argument("--dir", type=Path, help="also write each article as DIR/ID.md with front matter")
    registry = sub.add_parser("registry", help="write a synthetic registry of SIZE aliases as YAML")
    registry.add_argument("size", choices=tuple(SIZES))
    registry.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "corpus":
        print(json.dumps(write_corpus(args.megabytes, args.out, args.seed, args.dir)))
    else:
        print(json.dumps(write_registry(args.size, args.out)))


if __name__ == "__main__":
    main()
