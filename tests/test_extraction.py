"""Claim extraction in English and French: bodies, acronyms, figures with hedges, dates, binding."""
from __future__ import annotations

from claims.extract import extract_claims
from claims.loading import parse_document
from claims.model import ClaimType, Comparator


def claims_of(index, text, language=None):
    return extract_claims(parse_document("t.md", text, language), index)


def by_type(claims, claim_type):
    return [c for c in claims if c.claim_type is claim_type]


def test_registry_mentions_english_and_french(index):
    en = claims_of(index, "NATO and the European Union met Interpol officials.", "en")
    fr = claims_of(index, "L'OTAN et l'Union européenne ont rencontré Europol.", "fr")
    assert {c.entity_id for c in by_type(en, ClaimType.ENTITY)} >= {"org.nato", "org.eu", "org.interpol"}
    assert {c.entity_id for c in by_type(fr, ClaimType.ENTITY)} >= {"org.nato", "org.eu", "org.europol"}


def test_offsets_point_at_the_claim_text(index):
    text = "---\ntitle: x\n---\nThe Crocus City Hall attack killed more than 140 people.\n"
    for claim in claims_of(index, text, "en"):
        assert text[claim.span.start:claim.span.end] == claim.text


def test_acronyms_are_case_sensitive(index):
    claims = claims_of(index, "The agency said ici and nato were words, not bodies.", "en")
    assert not by_type(claims, ClaimType.ENTITY)


def test_acronym_definition_for_unknown_body(index):
    [claim] = [c for c in claims_of(index, "The Joint Counter-Extremism Fusion Unit (JCEFU) was created.", "en")
               if c.claim_type is ClaimType.ENTITY]
    assert claim.name == "Joint Counter-Extremism Fusion Unit" and claim.acronym == "JCEFU"
    assert claim.entity_id is None


def test_french_acronym_definition(index):
    claims = claims_of(index, "Elle dirige la Fondation européenne pour la démocratie (EFD), basée à Bruxelles.", "fr")
    [claim] = [c for c in claims if c.acronym == "EFD"]
    assert claim.entity_id == "org.efd"


def test_misnomer_needs_its_context(index):
    alone = claims_of(index, "EDF a annoncé une hausse des prix de l'électricité.", "fr")
    assert not [c for c in alone if c.entity_id == "misnamed.edf-for-efd"]
    beside = claims_of(index, "La Fondation européenne pour la démocratie (EFD) travaille. EDF directeur exécutif.", "fr")
    assert [c for c in beside if c.entity_id == "misnamed.edf-for-efd"]


def test_deaths_with_hedge_bound_to_event_en(index):
    claims = claims_of(index, "The attack on Crocus City Hall in Moscow killed more than 150 people.", "en")
    [q] = by_type(claims, ClaimType.QUANTITY)
    assert q.property == "deaths" and q.quantity.value == 150 and q.quantity.comparator is Comparator.MORE_THAN
    assert q.subject.id == "event.crocus-2024" and "venue" in q.subject.reason


def test_deaths_with_hedge_bound_to_event_fr(index):
    claims = claims_of(index, "L'attentat du Crocus City Hall près de Moscou a fait plus de cent quarante morts.", "fr")
    [q] = by_type(claims, ClaimType.QUANTITY)
    assert q.property == "deaths" and q.quantity.value == 140 and q.quantity.comparator is Comparator.MORE_THAN
    assert q.subject.id == "event.crocus-2024"


def test_each_clause_binds_its_own_event(index):
    text = ("Incidents include the May 2020 attack on a maternity hospital in Kabul, which killed 24 people; "
            "the August 2021 bombing at Kabul airport, which killed over 170 people, including 13 US service "
            "members; and the attack on Crocus City Hall, which killed 145 people.")
    quantities = by_type(claims_of(index, text, "en"), ClaimType.QUANTITY)
    bound = [(q.quantity.value, q.subject.id if q.subject else None) for q in quantities]
    assert bound == [(24, "event.kabul-maternity-2020"), (170, "event.kabul-airport-2021"),
                     (13, "event.kabul-airport-2021"), (145, "event.crocus-2024")]
    assert "service members" in quantities[2].group


def test_member_count_binds_to_relative_clause_not_coordinated_body(index):
    text = "They include the Mediterranean Dialogue, which brings together NATO and seven countries in the region."
    [q] = by_type(claims_of(index, text, "en"), ClaimType.QUANTITY)
    assert q.property == "members" and q.quantity.value == 7
    assert q.subject.id == "nato.mediterranean-dialogue"


def test_member_count_french(index):
    [q] = by_type(claims_of(index, "L'OTAN compte désormais 32 pays membres.", "fr"), ClaimType.QUANTITY)
    assert q.property == "members" and q.subject.id == "org.nato" and q.quantity.value == 32


def test_fighters_statistic_french(index):
    text = "Selon Europol, en janvier, autant que 5,000 Européens se battent dans la région."
    [q] = by_type(claims_of(index, text, "fr"), ClaimType.QUANTITY)
    assert q.property == "fighters" and q.quantity.comparator is Comparator.UP_TO
    assert q.subject.id == "stat.eu-foreign-fighters-2015"


def test_founding_year_passive_en_and_fr(index):
    [en] = by_type(claims_of(index, "The Shanghai Cooperation Organisation was founded in 2001.", "en"), ClaimType.DATE)
    assert en.property == "founded" and en.subject.id == "org.sco" and en.date.year == 2001
    [fr] = by_type(claims_of(index, "L'Organisation de coopération de Shanghai a été fondée en 2001.", "fr"), ClaimType.DATE)
    assert fr.property == "founded" and fr.subject.id == "org.sco"


def test_active_launch_is_not_a_founding_date(index):
    [d] = by_type(claims_of(index, "In 2010, EFD launched a new project for students.", "en"), ClaimType.DATE)
    assert d.property == "date"


def test_event_date_from_clause(index):
    claims = claims_of(index, "The May 2020 attack on a maternity hospital in Kabul shocked the world.", "en")
    [d] = by_type(claims, ClaimType.DATE)
    assert d.property == "event_date" and d.subject.id == "event.kabul-maternity-2020"


def test_dates_french_formats(index):
    [d] = by_type(claims_of(index, "Le 13 novembre 2015, la France a été frappée.", "fr"), ClaimType.DATE)
    assert (d.date.year, d.date.month, d.date.day) == (2015, 11, 13)


def test_times_and_ages_are_not_counts(index):
    text = "Within 24 hours, 3 years after the 2015 attack, the 2nd unit left."
    assert not by_type(claims_of(index, text, "en"), ClaimType.QUANTITY)


def test_relative_dates_read_against_publication_date(index):
    text = "---\npublished: 2015-06-30\n---\nLe CEP affirme réussir depuis son lancement en septembre dernier.\n"
    [d] = by_type(claims_of(index, text, "fr"), ClaimType.DATE)
    assert (d.date.year, d.date.month) == (2014, 9) and d.property == "founded" and d.subject.id == "org.cep"
    en = "---\npublished: 2024-03-01\n---\nIn January of this year the group grew; last year it shrank.\n"
    dates = [(c.date.year, c.date.month) for c in by_type(claims_of(index, en, "en"), ClaimType.DATE)]
    assert dates == [(2024, 1), (2023, None)]


def test_relative_dates_need_a_publication_date(index):
    assert not by_type(claims_of(index, "Le groupe a été créé en septembre dernier.", "fr"), ClaimType.DATE)


def test_founding_noun_refers_back_to_the_body(index):
    claims = claims_of(index, "The Shanghai Cooperation Organisation held its summit. Since its creation in 2001, "
                              "it has grown.", "en")
    [d] = by_type(claims, ClaimType.DATE)
    assert d.property == "founded" and d.subject.id == "org.sco"


def test_anaphora_binds_a_count_to_the_body_named_before(index):
    en = by_type(claims_of(index, "Sweden joined NATO in March 2024. The alliance now has 32 members.", "en"),
                 ClaimType.QUANTITY)
    assert [(q.quantity.value, q.subject.id) for q in en] == [(32, "org.nato")]
    fr = by_type(claims_of(index, "La Suède a rejoint l'OTAN. L'Alliance compte désormais 32 pays membres.", "fr"),
                 ClaimType.QUANTITY)
    assert [(q.quantity.value, q.subject.id) for q in fr] == [(32, "org.nato")]
