"""Names folded for lookups."""

from hypothesis import given, settings, strategies as st

from rightsgraph.claims.names import NameKeys, name_words, normalize_name, romanised, similarity


def test_case_hyphens_punctuation_spacing_and_breves_do_not_count():
    assert normalize_name("Kwan-li-so No. 15") == normalize_name("KWAN LI SO  no 15") == "kwan li so no 15"
    assert normalize_name("Susŏng") == normalize_name("susong")
    assert normalize_name("People’s Security") == normalize_name("People's security")


def test_different_names_stay_different():
    assert normalize_name("Camp 15") != normalize_name("Camp 16")
    assert normalize_name("") == ""


# -- the scorer the reconciliation service uses --------------------------------------------------------------

_word = st.text(alphabet="abcdeghijklmnoprstuwyŏŭ", min_size=1, max_size=8)
_name = st.lists(_word, min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(_name, st.lists(st.sampled_from([" ", "-", "  ", " - ", "'"]), min_size=4, max_size=4), st.booleans())
def test_a_name_written_with_other_case_hyphens_or_spacing_scores_1(words, seps, upper):
    """Whatever folds the same as a name (describe's folding) is that name: score 1, never less."""
    name = " ".join(words)
    other = words[0] + "".join(sep + w for sep, w in zip(seps, words[1:]))
    other = other.upper() if upper else other.title()
    assert similarity(NameKeys.of(other), NameKeys.of(name)) == 1.0


@settings(max_examples=200, deadline=None)
@given(_name, _name)
def test_scores_lie_between_0_and_1_and_only_the_same_folded_name_scores_1(a, b):
    s = similarity(NameKeys.of(" ".join(a)), NameKeys.of(" ".join(b)))
    assert 0.0 <= s <= 1.0
    assert (s == 1.0) == (name_words(" ".join(a)) == name_words(" ".join(b)))


@settings(max_examples=200, deadline=None)
@given(_name.filter(lambda w: len(w) >= 2))
def test_a_korean_name_in_the_other_order_scores_at_least_0_95(words):
    """Family name first or last: "Kim Jong-un" and "Jong-un Kim" are one name."""
    name, turned = " ".join(words), " ".join(words[1:] + words[:1])
    assert similarity(NameKeys.of(turned), NameKeys.of(name)) >= 0.95


def test_romanisations_of_one_name_meet():
    assert romanised("jeungsan") == romanised("chungsan")
    assert similarity(NameKeys.of("Hamheung"), NameKeys.of("Hamhung")) == 0.92
    assert similarity(NameKeys.of("Yodok"), NameKeys.of("Hoeryong")) < 0.5
