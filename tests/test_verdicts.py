"""Verdicts: verified, contradicted (wrong, outdated, fabricated, misnamed, wrong acronym), unverified."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.verdicts import compare
from claims.model import Comparator, Quantity
from references.model import Interval

from conftest import findings_for, verdicts_for


def test_outdated_member_count_in_undated_article(audit_text):
    result = audit_text("NATO is an alliance of 30 countries.", path="a.txt")
    [finding] = [f for f in result.findings if f.code == "SA202"]
    assert finding.verdict.value == "contradicted"
    assert finding.message.startswith("Outdated:") and "2020-03-27" in finding.message and "32" in finding.message
    assert finding.reference.sources


def test_same_count_verified_at_publication_date(audit_text):
    result = audit_text("---\npublished: 2021-06-01\n---\nNATO is an alliance of 30 countries.\n", as_of=None)
    [finding] = [f for f in result.findings if f.code == "SA202"]
    assert finding.verdict.value == "verified"
    assert "since been revised to 32" in finding.message


def test_french_member_count(audit_text):
    result = audit_text("L'OTAN compte 32 pays membres depuis l'adhésion de la Suède.", language="fr")
    assert verdicts_for(result, "32") == {"verified"}


def test_inflated_toll_contradicted_and_hedges_respected(audit_text):
    result = audit_text("The attack on Crocus City Hall killed more than 150 people. "
                        "The Crocus City Hall attack killed at least 140 people.")
    assert verdicts_for(result, "more than 150") == {"contradicted"}
    assert verdicts_for(result, "at least 140") == {"verified"}
    [wrong] = findings_for(result, "more than 150")
    assert "149" in wrong.message and wrong.code == "SA201"


def test_toll_right_at_publication_is_verified_with_revision_note(audit_text):
    result = audit_text("---\npublished: 2024-03-24\n---\nThe Crocus City Hall attack killed 137 people.\n", as_of=None)
    [finding] = findings_for(result, "137")
    assert finding.verdict.value == "verified" and "since been revised to 149" in finding.message


def test_french_toll(audit_text):
    result = audit_text("L'attentat du Crocus City Hall a fait plus de 150 morts.", language="fr")
    assert verdicts_for(result, "150") == {"contradicted"}


def test_subgroup_of_the_dead(audit_text):
    result = audit_text("The bombing at Kabul airport killed over 170 people, including 13 US service members.")
    assert verdicts_for(result, "170") == {"verified"}
    assert verdicts_for(result, "13 US service members") == {"verified"}


def test_fabricated_body_names_the_real_one(audit_text):
    result = audit_text("NATO set up the NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC). The CTIFC shares data.")
    [finding] = [f for f in result.findings if f.code == "SA102"]
    assert finding.verdict.value == "contradicted"
    assert "NATO Intelligence Fusion Centre" in finding.message
    assert len(finding.occurrences) == 1  # the second CTIFC is the same error, listed once


def test_misnamed_body(audit_text):
    result = audit_text("NATO runs the NATO Counter-Terrorism Centre of Excellence (COE) in Ankara.")
    [finding] = [f for f in result.findings if f.code == "SA103"]
    assert "COE-DAT" in finding.message


def test_wrong_acronym_for_known_body(audit_text):
    result = audit_text("The European Foundation for Democracy (EDF) is based in Brussels.")
    [finding] = [f for f in result.findings if f.code == "SA104"]
    assert finding.verdict.value == "contradicted" and finding.suggestion == "EFD"


def test_transposed_acronym_beside_the_real_one(audit_text):
    result = audit_text("EFD is based in Brussels. Its director said EDF would grow.")
    assert verdicts_for(result, "EDF") == {"contradicted"}


def test_correct_acronym_verified_en_and_fr(audit_text):
    assert verdicts_for(audit_text("The Shanghai Cooperation Organisation (SCO) met."), "SCO") == {"verified"}
    fr = audit_text("L'Organisation de coopération de Shanghai (OCS) s'est réunie.", language="fr")
    assert verdicts_for(fr, "OCS") == {"verified"}


def test_unknown_body_is_unverified_with_suggestion(audit_text):
    result = audit_text("The NATO Intelligence Fusion Cell (NIFCE) opened.")
    [finding] = [f for f in result.findings if f.code == "SA105"]
    assert finding.verdict.value == "unverified"
    assert finding.suggestion and "NATO Intelligence Fusion Centre" in finding.suggestion


def test_unknown_figure_subject_is_unverified(audit_text):
    result = audit_text("Officials said 40 people were killed in the clashes.")
    assert verdicts_for(result, "40") == {"unverified"}


def test_founding_year_verified_and_contradicted(audit_text):
    good = audit_text("The Shanghai Cooperation Organisation was founded in 2001.")
    bad = audit_text("The Shanghai Cooperation Organisation was founded in 1996.")
    assert verdicts_for(good, "2001") == {"verified"}
    assert verdicts_for(bad, "1996") == {"contradicted"}


def test_garbled_number_is_unverified(audit_text):
    result = audit_text("L'EIIL publie entre 90,000 et XNUMX tweets par jour.", language="fr")
    garbled = [f for f in result.findings if f.code == "SA204"]
    assert garbled and garbled[0].verdict.value == "unverified"


@pytest.mark.parametrize("comparator,value,reference,expected", [
    (Comparator.MORE_THAN, 150, Interval.exact(149), False),
    (Comparator.MORE_THAN, 170, Interval(183, None), True),
    (Comparator.EXACT, 24, Interval.exact(24), True),
    (Comparator.EXACT, 25, Interval.exact(24), False),
    (Comparator.AT_LEAST, 140, Interval.exact(149), True),
    (Comparator.UP_TO, 5000, Interval(3000, 5000), True),
    (Comparator.NEARLY, 150, Interval.exact(149), True),
    (Comparator.ABOUT, 150, Interval.exact(149), True),
    (Comparator.FEWER_THAN, 100, Interval.exact(149), False),
    (Comparator.EXACT, 200, Interval(183, None), None),
])
def test_compare(comparator, value, reference, expected):
    assert compare(Quantity(value=value, comparator=comparator), reference) is expected


def test_estimate_range_supports_values_inside_it():
    assert compare(Quantity(value=90000), Interval(90000, 100000), estimate=True) is True
    assert compare(Quantity(value=20000), Interval(90000, 100000), estimate=True) is False


def test_judging_date_prefers_as_of(auditor):
    from audit.engine import Config, judging_date
    from claims.loading import parse_document
    document = parse_document("a.md", "---\npublished: 2021-01-01\n---\ntext\n")
    assert judging_date(document, Config(today=dt.date(2026, 1, 1))) == dt.date(2021, 1, 1)
    assert judging_date(document, Config(as_of=dt.date(2020, 1, 1))) == dt.date(2020, 1, 1)


def test_descriptive_keywords_alone_do_not_identify_an_event(audit_text):
    """Another Easter bombing or a maternity-ward attack elsewhere must not be judged against ours."""
    result = audit_text("The Easter Sunday bombing in Lahore killed more than 70 people. "
                        "A maternity ward attack killed 3 people, officials said.")
    assert verdicts_for(result, "70") == {"unverified"}
    assert verdicts_for(result, "killed 3") == {"unverified"}


def test_venue_with_trigger_identifies_an_event(audit_text):
    result = audit_text("The attack on the Bataclan killed 90 people.")
    [finding] = findings_for(result, "90")
    assert finding.claim.subject and finding.claim.subject.id == "event.paris-2015-11"


def test_outdated_revised_toll(audit_text):
    result = audit_text("The Berlin Christmas market attack at Breitscheidplatz killed 12 people.", path="x.txt")
    [finding] = findings_for(result, "12")
    assert finding.verdict.value == "contradicted" and finding.message.startswith("Outdated")


def test_talks_with_countries_is_not_a_member_count(audit_text):
    result = audit_text("NATO held talks with 20 countries in Brussels. The EU works with 40 partner countries.")
    assert not [f for f in result.findings if f.code == "SA202"]


def test_perpetrators_are_not_the_toll(audit_text):
    result = audit_text("After the Crocus City Hall attack near Moscow, police killed 3 suspects.")
    assert "contradicted" not in verdicts_for(result, "3 suspects")


def test_figure_far_from_the_event_is_not_bound_to_it(audit_text):
    result = audit_text(
        "The Crocus City Hall attack near Moscow, which Russian officials repeatedly and without any evidence "
        "tied to Ukraine, and which dominated the news for weeks across the country and abroad, came after a "
        "separate raid in the North Caucasus in which 6 people were killed.")
    assert verdicts_for(result, "6 people") == {"unverified"}


def test_figure_between_two_revisions_is_unverified(audit_text):
    result = audit_text("---\npublished: 2024-03-25\n---\nThe Crocus City Hall attack killed 138 people.\n", as_of=None)
    [finding] = findings_for(result, "138")
    assert finding.verdict.value == "unverified" and "falls between" in finding.message


# --- cases found by probing with adversarial articles: none of these may be contradicted ---

def test_subcount_without_its_own_figure_is_not_compared_with_the_total(audit_text):
    result = audit_text("The Charlie Hebdo shooting killed 12 people, including two police officers.")
    assert verdicts_for(result, "killed 12") == {"verified"}
    assert verdicts_for(result, "two police officers") == {"unverified"}


def test_nine_eleven_is_a_name_not_two_numbers(audit_text):
    result = audit_text("The 9/11 attacks killed 2,977 people.")
    assert not [f for f in result.findings if f.claim.text in ("9", "11")]
    assert verdicts_for(result, "2,977") == {"verified"}


def test_each_figure_goes_to_the_event_named_before_it(audit_text):
    result = audit_text("The Manchester Arena bombing alone killed 22 people and the 2016 Brussels bombings killed 32.")
    assert verdicts_for(result, "killed 22") == {"verified"}
    assert verdicts_for(result, "killed 32") == {"verified"}


def test_an_unregistered_event_between_blocks_the_binding(audit_text):
    result = audit_text("The 2015 Sousse attack killed 38 people, and the 2004 Beslan school siege in Russia "
                        "killed more than 330.")
    assert verdicts_for(result, "killed 38") == {"verified"}
    assert verdicts_for(result, "330") == {"unverified"}


def test_respectively_leaves_figures_unbound(audit_text):
    result = audit_text("The Sousse and Kuwait mosque attacks, which left 38 and 27 dead respectively, shocked the region.")
    assert "contradicted" not in {f.verdict.value for f in result.findings}


def test_second_toll_for_the_same_event_is_left_unbound(audit_text):
    result = audit_text("Il a cité les attentats de Madrid (191 morts), de Londres (52 morts) et d'autres.", language="fr")
    assert verdicts_for(result, "191") == {"verified"}
    assert verdicts_for(result, "52 morts") == {"unverified"}


def test_wounded_after_and_does_not_steal_the_toll(audit_text):
    result = audit_text("The Brussels bombings of March 2016 killed 32 people and wounded more than 300.")
    [killed] = findings_for(result, "killed 32")
    assert killed.claim.property == "deaths" and killed.verdict.value == "verified"


def test_killed_by_counts_the_killers(audit_text):
    result = audit_text("He was the only person killed by the three suicide bombers at the Stade de France.")
    assert "contradicted" not in {f.verdict.value for f in result.findings}


def test_tolls_counting_the_perpetrators_are_not_compared(audit_text):
    result = audit_text("The Manchester Arena bombing caused 23 deaths including the bomber.")
    assert verdicts_for(result, "23") == {"unverified"}


def test_founding_members_are_not_the_current_count(audit_text):
    result = audit_text("NATO was established in 1949 by 12 founding members.")
    assert "contradicted" not in verdicts_for(result, "12 founding members")


def test_members_of_the_body_named_after_the_figure(audit_text):
    result = audit_text("The Istanbul Cooperation Initiative was offered to all six members of the Gulf "
                        "Cooperation Council; four joined.")
    assert "contradicted" not in {f.verdict.value for f in result.findings if f.claim.claim_type.value == "quantity"}


def test_service_members_are_not_a_membership(audit_text):
    result = audit_text("At Abbey Gate in Kabul in August 2021, 13 US service members were killed.")
    [finding] = findings_for(result, "13")
    assert finding.code == "SA201" and finding.verdict.value == "verified"


def test_reported_false_figures_are_not_the_article_s_claim(audit_text):
    result = audit_text("Some commentators still write that the Crocus City Hall attack killed more than 150 people. "
                        "The 9/11 attacks killed 3,400 people, a senator claimed, a figure his office corrected.")
    assert "contradicted" not in {f.verdict.value for f in result.findings}
    assert any("someone else's claim" in f.message for f in result.findings)


def test_misnomer_context_must_be_near(audit_text):
    filler = "Le marché de l'énergie reste tendu cette année. " * 40
    text = "La Fondation européenne pour la démocratie (EFD) est à Bruxelles. " + filler + "Les centrales d'EDF tournent."
    result = audit_text(text, language="fr")
    assert verdicts_for(result, "EDF") == set()


def test_founding_year_with_place_and_apposition(audit_text):
    assert verdicts_for(audit_text("SAARC, founded in Kathmandu in 1987, has eight members."), "1987") == {"contradicted"}
    assert verdicts_for(audit_text("COE-DAT, the NATO-accredited centre in Ankara, was established in 2005."),
                        "2005") == {"verified"}
    assert verdicts_for(audit_text("Interpol, founded in Vienna in 1923, moved to Lyon in 1989."), "1923") == {"verified"}


def test_a_part_of_the_dead_is_not_the_toll(audit_text):
    result = audit_text("Gunmen attacked tourists at the Imperial Marhaba hotel in Sousse in June 2015. "
                        "Thirty of those killed were British tourists.")
    assert verdicts_for(result, "Thirty") <= {"verified", "unverified"}


def test_places_are_not_victims(audit_text):
    result = audit_text("The Barcelona attack on La Rambla in 2017 injured around 130 people from 34 countries.")
    assert "contradicted" not in {f.verdict.value for f in result.findings}


def test_toll_in_the_sentence_after_the_event(audit_text):
    result = audit_text("The truck attack on the Promenade des Anglais in Nice shocked France in July 2016. "
                        "Eighty-six people were killed.")
    assert verdicts_for(result, "Eighty-six") == {"verified"}
    other = audit_text("In January 2015 the Kouachi brothers attacked the offices of Charlie Hebdo. "
                       "Over three days, 17 people were killed in Paris and Montrouge.")
    assert verdicts_for(other, "17") == {"unverified"}


def test_a_gap_in_the_record_is_not_filled_with_an_older_value(registry):
    from audit.verdicts import Checker
    from claims.model import Claim, ClaimType, Quantity, Span, Subject
    from references.index import RegistryIndex
    from references.model import FactValue, Fact, Interval, PartialDate, Registry, Source
    src = (Source("https://example.org/x", "Example"),)
    fact = Fact("org.nato.members", "org.nato", "members", values=(
        FactValue(Interval.exact(10), PartialDate(2000), PartialDate(2001), sources=src),
        FactValue(Interval.exact(12), PartialDate(2005), sources=src)))
    small = Registry(entities=(registry.get("org.nato"),), facts=(fact,))
    claim = Claim(ClaimType.QUANTITY, "11 members", Span(0, 10), Span(0, 10), "members",
                  Subject("org.nato", "NATO", "entity", "test"), Quantity(11))
    finding = Checker(RegistryIndex(small)).check(claim, dt.date(2003, 1, 1), "en")
    assert finding.verdict.value == "unverified" and "no members figure" in finding.message


# --- second probe: more ways a true statement could be contradicted ---

def test_counts_stated_for_a_year_are_judged_in_that_year(audit_text):
    assert verdicts_for(audit_text("In 2021, NATO had 30 members."), "30 members") == {"verified"}
    assert verdicts_for(audit_text("In 2021, NATO had 31 members."), "31 members") == {"contradicted"}
    assert verdicts_for(audit_text("NATO grew from 12 members in 1949 to 32 today."), "12 members") == {"unverified"}
    assert verdicts_for(audit_text("NATO invoked Article 5. The alliance then had 19 members."), "19") == {"unverified"}


def test_part_of_a_membership_is_not_its_size(audit_text):
    for text in ("Some 23 EU member states are also NATO allies.", "The Bucharest Nine groups nine NATO allies.",
                 "Selon les officiels, 23 États membres de l'UE sont aussi des Alliés."):
        assert "contradicted" not in {f.verdict.value for f in audit_text(text, language=None).findings}, text
    assert verdicts_for(audit_text("All 27 EU member states agreed."), "27") == {"verified"}


def test_a_body_and_its_members(audit_text):
    assert verdicts_for(audit_text("Interpol and its 196 member countries cooperate."), "196") == {"verified"}


def test_active_voice_founds_the_object_not_the_subject(audit_text):
    for text in ("The United Nations set up the Office of Counter-Terrorism in June 2017.",
                 "NATO launched the Mediterranean Dialogue in 1994.", "Hezbollah launched Al-Manar in 1991."):
        assert "contradicted" not in {f.verdict.value for f in audit_text(text).findings}, text


def test_timeline_rows_are_separate_sentences(audit_text):
    text = ("1987 — Barcelona (Hipercor supermarket) — 21 dead\n"
            "2004 — Madrid (commuter trains) — 191 dead\n")
    result = audit_text(text)
    assert verdicts_for(result, "191") == {"verified"}
    assert verdicts_for(result, "21 dead") == {"unverified"}


def test_one_site_of_several_is_not_the_whole_toll(audit_text):
    assert verdicts_for(audit_text("The attack on the Bataclan killed 90 people."), "90") == {"unverified"}
    assert verdicts_for(audit_text("The knife attack at the Notre-Dame basilica in Nice in October 2020 killed "
                                   "two women and the sacristan."), "two") == {"unverified"}


def test_day_of_month_is_not_a_toll(audit_text):
    result = audit_text("The 13 November attacks killed 130 people.")
    assert not [f for f in result.findings if f.claim.text.startswith("13 November")]
    assert verdicts_for(result, "130") == {"verified"}


def test_an_event_named_as_a_reference_point(audit_text):
    result = audit_text("Seven years after the 2016 Brussels bombings, the city was struck again. "
                        "The attack killed two visiting football supporters.")
    assert verdicts_for(result, "two") == {"unverified"}


def test_superseded_and_hypothetical_figures_are_not_contradicted(audit_text):
    result = audit_text("Iranian officials first put the toll of the Kerman bombings at 103, revised it down to 84 "
                        "a day later, and eventually counted at least 95.")
    assert "contradicted" not in {f.verdict.value for f in result.findings}
    hypothetical = audit_text("Prosecutors said the Thalys train gunman could have killed 300 passengers.")
    assert "contradicted" not in {f.verdict.value for f in hypothetical.findings}


def test_attackers_counted_in_other_words(audit_text):
    result = audit_text("At the Manchester Arena bombing, 23 people died if the bomber is counted.")
    assert verdicts_for(result, "23") == {"unverified"}


def test_fabricated_body_carries_its_own_context(audit_text):
    result = audit_text("The NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC) collects intelligence.")
    assert [f.code for f in result.findings if f.verdict.value == "contradicted"] == ["SA102"]
