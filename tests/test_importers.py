"""`registry import`: public datasets and Wikidata results become registries that lint clean and audit."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from audit.cli import cli
from references.importers.ratings import normalise_domain
from references.importers.wikidata import import_wikidata
from references.lint import lint
from references.loader import bundled_registry_dir
from references.model import Entity, Registry

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
RATINGS = ("lin_domain_pc1.csv", "opensources_sources.csv", "perennial_sources.csv", "content-farms.txt",
           "nearly-content-farms.txt", "bad-cloners.txt")


def run_import(runner, what: str, *args: str):
    return runner.invoke(cli, ["registry", "import", what, *args])


def imported(runner, tmp_path: Path, what: str, fixture: str, *args: str) -> tuple[Path, dict]:
    """Import a fixture into its own registry directory; return the directory and the parsed YAML."""
    directory = tmp_path / Path(fixture).stem
    output = directory / "imported.yaml"
    result = run_import(runner, what, str(FIXTURES / fixture), "--output", str(output), *args)
    assert result.exit_code == 0, result.output
    return directory, yaml.safe_load(output.read_text("utf-8"))


def domains(data: dict) -> dict[str, dict]:
    return {d["domain"]: d for d in data["domains"]}


def errors(directory: Path, include_bundled: bool) -> list[str]:
    _, problems = lint([directory], include_bundled=include_bundled)
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("fixture", RATINGS)
def test_ratings_import_lints_clean_alone_and_over_the_bundled_registry(runner, tmp_path, fixture):
    directory, data = imported(runner, tmp_path, "ratings", fixture)
    assert data["domains"]
    assert errors(directory, include_bundled=False) == []
    assert errors(directory, include_bundled=True) == []


@pytest.mark.parametrize("fixture, args", [("wikidata_organisations.json", ()),
                                           ("wikidata_events.json", ("--kind", "event"))])
def test_wikidata_import_lints_clean_alone_and_over_the_bundled_registry(runner, tmp_path, fixture, args):
    directory, _ = imported(runner, tmp_path, "wikidata", fixture, *args)
    assert errors(directory, include_bundled=False) == []
    assert errors(directory, include_bundled=True) == []


def test_a_domain_also_in_the_bundled_registry_overrides_it(runner, tmp_path):
    directory, _ = imported(runner, tmp_path, "ratings", "lin_domain_pc1.csv")
    registry, _ = lint([directory], include_bundled=True)
    assert registry.domain("apnews.com").rating == 0.998
    assert registry.domain("apnews.com").location.path.startswith(str(directory))


@pytest.mark.parametrize("what, fixture, args", [
    *[("ratings", f, ()) for f in RATINGS],
    ("wikidata", "wikidata_organisations.json", ()),
    ("wikidata", "wikidata_events.json", ("--kind", "event")),
])
def test_output_is_byte_identical_for_the_same_input(runner, tmp_path, what, fixture, args):
    outputs = []
    for attempt in ("first", "second"):
        output = tmp_path / attempt / "out.yaml"
        assert run_import(runner, what, str(FIXTURES / fixture), "-o", str(output), *args).exit_code == 0
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    assert b"2026" not in outputs[0] and b"retrieved" not in outputs[0]  # no date unless --date


def test_date_is_recorded_only_when_given(runner, tmp_path):
    output = tmp_path / "out.yaml"
    result = run_import(runner, "ratings", str(FIXTURES / "lin_domain_pc1.csv"), "-o", str(output),
                        "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    text = output.read_text("utf-8")
    assert "from lin_domain_pc1.csv on 2026-11-21." in text.splitlines()[0]
    assert all(s["retrieved"] == "2026-11-21" for d in yaml.safe_load(text)["domains"] for s in d["sources"])


def test_header_keeps_licence_and_attribution(runner, tmp_path):
    expected = {
        "lin_domain_pc1.csv": ('Licence: no licence file; README: "Feel free to reuse the data"; cite Lin et al. 2023',
                               "High level of correspondence across different news domain quality rating sets"),
        "opensources_sources.csv": ("Licence: LGPL-3.0 (repo LICENSE)", "OpenSourcesGroup/opensources"),
        "perennial_sources.csv": ("Licence: CC BY-SA 3.0 (README; derived from Wikipedia text)",
                                  "Wikipedia:Reliable sources/Perennial sources"),
        "content-farms.txt": ("Licence: GPL-3.0 (repo LICENSE.txt on main @ 4ad394f; gh-pages has no separate "
                              "licence)", "danny0838/content-farm-terminator"),
    }
    for fixture, (licence, attribution) in expected.items():
        output = tmp_path / f"{fixture}.yaml"
        assert run_import(runner, "ratings", str(FIXTURES / fixture), "-o", str(output)).exit_code == 0
        header = [line for line in output.read_text("utf-8").splitlines() if line.startswith("#")]
        assert f"# {licence}" in header, fixture
        assert any(attribution in line for line in header if line.startswith("# Attribution:")), fixture
        copyleft = any(line.startswith("# Copyleft:") for line in header)
        assert copyleft == (fixture != "lin_domain_pc1.csv"), fixture


def test_lin_pc1_ratings_and_evidence(runner, tmp_path):
    _, data = imported(runner, tmp_path, "ratings", "lin_domain_pc1.csv")
    by_domain = domains(data)
    assert list(by_domain) == sorted(by_domain)
    assert by_domain["apnews.com"]["rating"] == 0.998
    assert by_domain["naturalnews.com"]["rating"] == 0
    assert {d["kind"] for d in data["domains"]} == {"unknown"}
    entry = by_domain["worldtruth.tv"]
    assert entry["rating"] == 0.018
    assert "first principal component" in entry["evidence"] and "imputed" in entry["evidence"]
    assert "10.1093/pnasnexus/pgad286" in entry["evidence"]
    assert [s["url"] for s in entry["sources"]] == ["https://doi.org/10.1093/pnasnexus/pgad286",
                                                    "https://github.com/hauselin/domain-quality-ratings"]


def test_opensources_mapping(runner, tmp_path):
    directory = tmp_path / "os"
    result = run_import(runner, "ratings", str(FIXTURES / "opensources_sources.csv"), "-o", str(directory / "o.yaml"))
    assert result.exit_code == 0, result.output
    by_domain = domains(yaml.safe_load((directory / "o.yaml").read_text("utf-8")))
    fake = by_domain["fabricated-news-example.com"]
    assert (fake["kind"], fake["rating"]) == ("unknown", 0.1)
    assert "fake" in fake["evidence"] and "conspiracy" in fake["evidence"] and "LGPL-3.0" in fake["evidence"]
    assert by_domain["parody-example.com"]["kind"] == "satire"
    assert by_domain["state-news-example.com"]["kind"] == "state_affiliated"
    assert "rating" not in by_domain["political-example.org"]
    assert by_domain["clickbait-example.net"]["rating"] == 0.3
    # two entries for one domain (bias 0.3, fake 0.1): merged, with the higher rating
    assert by_domain["duplicate-example.com"]["rating"] == 0.3
    assert "Listed 2 times" in by_domain["duplicate-example.com"]["evidence"]
    # a section of a site, an IP address and a row with no known tag are left out, with notes
    assert not {"section-example.org", "10.0.0.1", "odd-tag-example.com"} & set(by_domain)
    assert "with a path skipped" in result.stderr and "'weird'" in result.stderr


def test_perennial_mapping(runner, tmp_path):
    result = run_import(runner, "ratings", str(FIXTURES / "perennial_sources.csv"), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 0, result.output
    by_domain = domains(yaml.safe_load((tmp_path / "p.yaml").read_text("utf-8")))
    assert set(by_domain) == {"example-daily.com", "rumour-mill-example.net", "example-weekly.org"}
    daily = by_domain["example-daily.com"]
    assert (daily["name"], daily["kind"], daily["rating"]) == ("Example Daily", "unknown", 0.9)
    assert "https://en.wikipedia.org/wiki/Example_Daily" in [s["url"] for s in daily["sources"]]
    assert by_domain["rumour-mill-example.net"]["rating"] == 0.1  # Blacklisted + Deprecated: the lower
    assert by_domain["example-weekly.org"]["rating"] == 0.5
    assert "perennial_sources.csv:6" in result.stderr  # the row whose status is not a rating


def test_content_farm_lists(runner, tmp_path):
    result = run_import(runner, "ratings", str(FIXTURES / "content-farms.txt"), "-o", str(tmp_path / "c.yaml"))
    assert result.exit_code == 0, result.output
    farms = domains(yaml.safe_load((tmp_path / "c.yaml").read_text("utf-8")))
    assert set(farms) == {"farm-example.com", "second-farm-example.net"}
    assert (farms["farm-example.com"]["kind"], farms["farm-example.com"]["rating"]) == ("content_farm", 0.1)
    assert "keyword stuffing" in farms["farm-example.com"]["evidence"]
    assert "3 regex, prefixed" in result.stderr
    _, nearly = imported(runner, tmp_path, "ratings", "nearly-content-farms.txt")
    entry = domains(nearly)["reposts-example.com"]
    assert (entry["kind"], entry["rating"]) == ("content_farm", 0.3) and "borderline" in entry["evidence"]
    _, cloners = imported(runner, tmp_path, "ratings", "bad-cloners.txt")
    assert domains(cloners)["cloner-example.org"]["kind"] == "aggregator"


def test_rating_filters_and_limit(runner, tmp_path):
    _, low = imported(runner, tmp_path / "low", "ratings", "lin_domain_pc1.csv", "--max-rating", "0.3")
    assert set(domains(low)) == {"naturalnews.com", "worldtruth.tv"}
    _, first = imported(runner, tmp_path / "first", "ratings", "lin_domain_pc1.csv", "--min-rating", "0.5",
                        "--limit", "2")
    assert set(domains(first)) == {"reuters.com", "apnews.com"}


@pytest.mark.parametrize("raw, expected", [
    ("WWW.Example.COM", ("example.com", "")), ("https://www.example.com/", ("example.com", "")),
    ("example.com:8080", ("example.com", "")), ("news.example.co.uk.", ("news.example.co.uk", "")),
    ("Silver-Coin-Example. com", ("silver-coin-example.com", "")),
    ("example.com/blog", (None, "path")), ("192.0.2.1", (None, "invalid")),
    ("exämple.com", (None, "invalid")), ("-bad.example.com", (None, "invalid")),
])
def test_domain_normalisation(raw, expected):
    assert normalise_domain(raw) == expected


@pytest.mark.parametrize("what, fixture, message", [
    ("ratings", "lin_bad_value.csv", "lin_bad_value.csv:3: pc1 'high' is not a number"),
    ("ratings", "lin_extra_column.csv", "unknown column 'afm'"),
    ("wikidata", "wikidata_truncated.json", "wikidata_truncated.json:3: not JSON"),
    ("wikidata", "wikidata_unknown_variable.json", "unknown variable 'population'"),
    ("wikidata", "lin_domain_pc1.csv", "lin_domain_pc1.csv:1: not JSON"),
])
def test_malformed_input_exits_two_naming_the_file(runner, tmp_path, what, fixture, message):
    output = tmp_path / "out.yaml"
    result = run_import(runner, what, str(FIXTURES / fixture), "-o", str(output))
    assert result.exit_code == 2, result.output
    assert str(FIXTURES / fixture) in result.output and message in result.output
    assert not output.exists()


def test_unreadable_input_exits_two(runner, tmp_path):
    (tmp_path / "latin1.csv").write_bytes("domain,pc1\ncaf\xe9.com,0.5\n".encode("latin-1"))
    for name in ("missing.csv", "latin1.csv"):
        result = run_import(runner, "ratings", str(tmp_path / name), "-o", str(tmp_path / "out.yaml"))
        assert result.exit_code == 2 and name in result.output


def test_unrecognised_csv_asks_for_a_format(runner, tmp_path):
    (tmp_path / "other.csv").write_text("site,score\nexample.com,1\n", "utf-8")
    result = run_import(runner, "ratings", str(tmp_path / "other.csv"))
    assert result.exit_code == 2 and "'site'" in result.output and "--format" in result.output


def test_copyleft_data_is_never_written_into_the_package(runner):
    target = bundled_registry_dir() / "zz-imported-opensources.yaml"
    try:
        result = run_import(runner, "ratings", str(FIXTURES / "opensources_sources.csv"), "-o", str(target))
        assert result.exit_code == 2 and "copyleft" in result.output
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


def test_wikidata_entities_merge_rows_and_keep_names_per_language():
    data = import_wikidata((FIXTURES / "wikidata_organisations.json").read_text("utf-8"),
                           "wikidata_organisations.json")
    forum, agency = data.sections["entities"]
    assert forum["id"] == "org.example-counter-terrorism-forum" and forum["wikidata"] == "Q999999990"
    assert forum["aliases"] == {"en": ["Example CT Forum"],
                                "fr": ["Forum exemple contre le terrorisme",
                                       "Forum exemple de lutte contre le terrorisme"]}
    assert forum["acronyms"] == ["ECTF", "EXCTF"]  # the short name and an all-capital alias
    assert forum["sources"] == [{"url": "https://www.wikidata.org/wiki/Q999999990", "publisher": "Wikidata",
                                 "title": "Wikidata, Example Counter-Terrorism Forum (Q999999990)"}]
    assert agency["type"] == "intelligence_body"
    facts = {f["id"]: f for f in data.sections["facts"]}
    founded = facts["org.example-counter-terrorism-forum.founded"]["values"][0]
    assert founded["value"] == "2011"  # 2011-01-01T00:00:00Z is year precision
    members = facts["org.example-counter-terrorism-forum.members"]["revisions"]
    assert [(r["value"], r["as_of"]) for r in members] == [(20, "2011-09-22"), (25, "2020-06-01")]
    assert any("Q999999993 has no label" in n for n in data.notes)
    assert any("Q999999992 members" in n for n in data.notes)  # one untimed count and no inception


def test_wikidata_events_with_death_tolls():
    data = import_wikidata((FIXTURES / "wikidata_events.json").read_text("utf-8"), "wikidata_events.json",
                           kind="event")
    harbour, market = data.sections["events"]
    assert (harbour["kind"], harbour["date"], harbour["places"]) == ("attack", "2019-05-04", ["Exampleport"])
    assert harbour["aliases"]["fr"] == ["attentat du port d'Exampleport"]
    facts = {f["id"]: f for f in data.sections["facts"]}
    tolls = facts["event.exampleport-harbour-bombing.deaths"]["revisions"]
    assert [(r["value"], r["as_of"]) for r in tolls] == [(12, "2019-05-04"), (14, "2019-05-20")]
    market_deaths = facts["event.exampleville-market-attack.deaths"]
    assert market_deaths["estimate"] is True
    assert market_deaths["values"][0]["value"] == {"min": 30, "max": 35}
    assert market["date"] == "2017-03-01"


def _bindings(*rows: dict) -> str:
    names = sorted({k for row in rows for k in row})
    return json.dumps({"head": {"vars": names}, "results": {"bindings": [
        {k: {"type": "uri" if k == "item" else "literal", "value": v} for k, v in row.items()} for row in rows]}})


def test_wikidata_dates_keep_full_dates_and_drop_conflicts():
    item = "http://www.wikidata.org/entity/Q999999996"
    text = _bindings({"item": item, "itemLabel": "Example Dated Body", "inception": "2001-06-15T00:00:00Z"},
                     {"item": item, "itemLabel": "Example Dated Body", "inception": "2001-01-01T00:00:00Z"})
    founded = import_wikidata(text, "t.json").sections["facts"][0]["values"][0]["value"]
    assert founded == "2001-06-15"  # the year-only value agrees with the full date
    text = _bindings({"item": item, "itemLabel": "Example Dated Body", "inception": "2001-06-15T00:00:00Z"},
                     {"item": item, "itemLabel": "Example Dated Body", "inception": "2003-01-01T00:00:00Z"})
    result = import_wikidata(text, "t.json")
    assert result.sections["facts"] == [] and any("conflicting dates" in n for n in result.notes)


def test_wikidata_id_prefix_and_colliding_slugs(runner, tmp_path):
    # different names (so lint accepts both) whose ids would be the same: the QID tells them apart
    rows = [{"item": f"http://www.wikidata.org/entity/Q99999999{n}", "itemLabel": f"Example Twin Body {letter}"}
            for n, letter in ((7, "α"), (8, "β"))]
    source = tmp_path / "twins.json"
    source.write_text(_bindings(*rows), "utf-8")
    result = run_import(runner, "wikidata", str(source), "--id-prefix", "test.", "-o", str(tmp_path / "t" / "t.yaml"))
    assert result.exit_code == 0, result.output
    ids = [e["id"] for e in yaml.safe_load((tmp_path / "t" / "t.yaml").read_text("utf-8"))["entities"]]
    assert ids == ["test.example-twin-body-q999999997", "test.example-twin-body-q999999998"]
    assert errors(tmp_path / "t", include_bundled=True) == []
    assert run_import(runner, "wikidata", str(source), "--id-prefix", "Bad Prefix").exit_code == 2


def test_wikidata_names_already_in_the_registry_are_left_out(registry):
    item = "http://www.wikidata.org/entity/Q99999999"
    text = _bindings({"item": f"{item}7", "itemLabel": "Example Alliance Body", "alias": "North Atlantic Alliance"},
                     {"item": f"{item}7", "itemLabel": "Example Alliance Body", "alias": "NATO"},
                     {"item": f"{item}7", "itemLabel": "Example Alliance Body", "alias": "Example Allied Body"},
                     {"item": f"{item}8", "itemLabel": "North Atlantic Treaty Organization"},
                     {"item": f"{item}9", "itemLabel": "Example Other Body", "alias": "Example Allied Body"})
    result = import_wikidata(text, "t.json", existing=registry)
    entities = {e["name"]: e for e in result.sections["entities"]}
    assert set(entities) == {"Example Alliance Body", "Example Other Body"}
    assert entities["Example Alliance Body"]["aliases"] == {"any": ["Example Allied Body"]}
    assert "acronyms" not in entities["Example Alliance Body"]
    assert "aliases" not in entities["Example Other Body"]  # the first item to claim a name keeps it
    assert any("Q999999998: the name 'North Atlantic Treaty Organization' is already 'org.nato'" in n
               for n in result.notes)
    known = Registry(entities=(Entity(id="org.example-known", name="Example Known Body", type="organisation",
                                      wikidata="Q999999997"),))
    assert all(e["wikidata"] != "Q999999997" for e in import_wikidata(text, "t.json", existing=known)
               .sections["entities"])


def _audit_json(runner, article: Path, registry: Path) -> dict:
    result = runner.invoke(cli, ["check", str(article), "--registry", str(registry), "--format", "json",
                                 "--fail-on", "never", "--as-of", "2026-11-21"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["documents"][0]


def test_an_article_is_audited_against_an_imported_wikidata_registry(runner, tmp_path):
    directory, _ = imported(runner, tmp_path, "wikidata", "wikidata_organisations.json")
    article = tmp_path / "article.md"
    article.write_text("Example Counter-Terrorism Forum was founded in 2011.\n", "utf-8")
    document = _audit_json(runner, article, directory)
    founded = [f for f in document["findings"] if f["code"] == "SA211"]
    assert [f["verdict"] for f in founded] == ["verified"], document["findings"]
    article.write_text("Example Counter-Terrorism Forum was founded in 2013.\n", "utf-8")
    document = _audit_json(runner, article, directory)
    assert [f["verdict"] for f in document["findings"] if f["code"] == "SA211"] == ["contradicted"]


@pytest.mark.parametrize("fixture, domain", [("lin_domain_pc1.csv", "naturalnews.com"),
                                             ("opensources_sources.csv", "fabricated-news-example.com")])
def test_a_low_rated_imported_domain_flags_the_source(runner, tmp_path, fixture, domain):
    directory, _ = imported(runner, tmp_path, "ratings", fixture)
    article = tmp_path / "article.md"
    article.write_text(f"---\nurl: https://{domain}/x\n---\nA short article about nothing in particular.\n", "utf-8")
    flags = _audit_json(runner, article, directory)["flags"]
    assert [f["kind"] for f in flags] == ["unreliable_source"], flags
    assert domain in flags[0]["message"]


def test_import_commands_have_help(runner):
    for args in (["registry", "import", "--help"], ["registry", "import", "ratings", "--help"],
                 ["registry", "import", "wikidata", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and "Usage:" in result.output
