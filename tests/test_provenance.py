"""Provenance flags from the text and the source domain."""
from __future__ import annotations


def kinds(result) -> set[str]:
    return {f.kind for f in result.flags}


def test_aggregator_boilerplate(audit_text):
    result = audit_text("NATO met today.\n\nThis story has not been edited by our staff and is auto-generated "
                        "from a syndicated feed.")
    [flag] = [f for f in result.flags if f.kind == "aggregator"]
    assert flag.code == "SA301" and flag.span is not None
    assert "syndicated feed" in result.document.text[flag.span.start:flag.span.end]


def test_french_aggregator_footer(audit_text):
    text = ("L'OTAN s'est réunie.\n\nEU Reporter publie des articles provenant de diverses sources extérieures "
            "qui expriment un large éventail de points de vue.")
    assert "aggregator" in kinds(audit_text(text, language="fr"))


def test_aggregator_domain_from_front_matter(audit_text):
    result = audit_text("---\nurl: https://www.asia-news.biz/some-story/\n---\nNATO met.\n")
    assert "aggregator" in kinds(result)
    assert result.source_kind == "aggregator"


def test_machine_translation_placeholder(audit_text):
    result = audit_text("Le groupe publie entre 90,000 et XNUMX messages par jour.", language="fr")
    assert "machine_translation" in kinds(result)


def test_ai_disclosure(audit_text):
    result = audit_text("As an AI language model, I cannot browse the internet, but NATO has 32 members.")
    assert "ai_generated" in kinds(result)


def test_several_weak_signals_flag_ai_but_one_does_not(audit_text):
    one = audit_text("In today's interconnected world, NATO met in Brussels to discuss budgets.")
    assert "ai_generated" not in kinds(one)
    many = audit_text(
        "In today's interconnected world, NATO plays a crucial role. It is important to note that its approach "
        "is multifaceted. NATO set up the NATO Counter-Terrorism Intelligence Fusion Centre (CTIFC) and the NATO "
        "Counter-Terrorism Centre of Excellence (COE). In conclusion, the alliance is vital.")
    assert "ai_generated" in kinds(many)


def test_plain_news_is_not_flagged(audit_text):
    text = ("---\npublished: 2024-03-30\nurl: https://news.example.org/crocus\n---\n"
            "Russian officials said on Saturday that the death toll from the Crocus City Hall attack had risen "
            "to 144. Investigators said four suspects had been charged.\n")
    assert kinds(audit_text(text, as_of=None)) == set()


def _long(paragraph: str, times: int) -> str:
    return "\n\n".join(paragraph for _ in range(times))


def test_unsourced_generated_explainer_is_flagged(audit_text):
    body = ("Countries must cooperate more closely to prevent attacks, share information across borders and "
            "invest in prevention programmes that reach young people before recruiters do. Cooperation works "
            "best when it is sustained over many years and backed by political commitment at every level")
    text = (_long(body + f" ({i}).", 1) for i in range(9))
    article = "\n\n".join(text) + ("\n\n- **Share intelligence.** Agencies should talk.\n"
                                   "- **Cut off financing.** Money matters.\n- **Train police.** Skills matter.\n\n"
                                   "In conclusion, the threat is multifaceted.")
    assert "ai_generated" in kinds(audit_text(article))


def test_long_sourced_report_is_not_flagged(audit_text):
    body = ("Officials said on Tuesday that investigators had searched three addresses, according to a police "
            "statement. \"We are following every lead,\" a spokesman told reporters, adding that two people had "
            "been questioned and released without charge after several hours of interviews at the station")
    article = "\n\n".join(body + f" ({i})." for i in range(9)) + "\n\nIn conclusion, the inquiry continues."
    assert "ai_generated" not in kinds(audit_text(article))


def test_quoted_boilerplate_does_not_flag_the_quoting_article(audit_text):
    text = ('The footer of the copied story read "Denial of responsibility! This site is an automatic '
            'aggregator around the global media", the researchers noted.')
    assert "aggregator" not in kinds(audit_text(text))


def test_french_with_english_number_and_date_conventions_is_flagged(audit_text):
    text = ("Le ministre a déclaré que 4,000 soldats seraient déployés en Janvier. La conférence de nouvelles "
            "s'est tenue le 4 avril, 2023 à Bruxelles.")
    assert "machine_translation" in kinds(audit_text(text, language="fr"))


def test_native_french_numbers_are_not_flagged(audit_text):
    text = "Le ministre a déclaré que 4 000 soldats seraient déployés en janvier, selon un communiqué du 4 avril 2023."
    assert "machine_translation" not in kinds(audit_text(text, language="fr"))
