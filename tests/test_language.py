"""Language detection: the sample judged, and what it decides."""
from claims.language import SAMPLE, WIDTH, WINDOWS, _spread, detect_language

ENGLISH_QUOTE = ('"We will not be intimidated by those who attack our citizens, and we will stand together with '
                 'our allies until every person responsible for this crime has been found and brought to justice '
                 'before a court of law," the minister told the assembled reporters on the steps of the building. ')
FRENCH = ("Le ministre a rappelé que les enquêteurs poursuivent leur travail depuis plusieurs semaines et que "
          "les familles des victimes seront reçues à la préfecture la semaine prochaine. ")


def test_short_texts_are_judged_whole():
    assert _spread("Le ministre a parlé.") == "Le ministre a parlé."
    text = "word " * (WINDOWS * WIDTH // 5)
    assert _spread(text) == text


def test_windows_are_spread_over_the_sample_and_cut_at_spaces():
    sample = " ".join(f"mot{i}" for i in range(1000))[:SAMPLE]
    words = sample.split()
    spread = _spread(sample).split()
    assert len(" ".join(spread)) <= WINDOWS * WIDTH + WINDOWS
    assert set(spread) <= set(words[:-1])  # whole words only (the sample's last may be cut)
    # WINDOWS runs of consecutive words, the first at the start, the last in the last quarter
    breaks = [i for i in range(1, len(spread)) if words.index(spread[i]) != words.index(spread[i - 1]) + 1]
    assert len(breaks) == WINDOWS - 1 and spread[0] == words[0]
    assert sample.index(spread[breaks[-1]]) >= len(sample) * (WINDOWS - 1) // WINDOWS


def test_an_article_opening_with_a_long_quotation_in_another_language():
    # a third of the sample is an English quotation, which a sample of the opening alone would judge
    opening = ENGLISH_QUOTE * 2 + "It was a long speech. "
    assert len(opening) < WINDOWS * WIDTH and detect_language(opening) == "en"
    assert detect_language(opening + FRENCH * 9) == "fr"


def test_english_french_and_nothing_to_judge():
    assert detect_language(FRENCH * 3) == "fr"
    assert detect_language(ENGLISH_QUOTE * 3) == "en"
    assert detect_language("1 234 567 — 89 %", default="fr") == "fr"
    assert detect_language("12 " * 1000 + FRENCH) == "fr"  # figures first: judged further on
