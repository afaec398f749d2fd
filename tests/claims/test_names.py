"""Names folded for lookups."""

from rightsgraph.claims.names import normalize_name


def test_case_hyphens_punctuation_spacing_and_breves_do_not_count():
    assert normalize_name("Kwan-li-so No. 15") == normalize_name("KWAN LI SO  no 15") == "kwan li so no 15"
    assert normalize_name("Susŏng") == normalize_name("susong")
    assert normalize_name("People’s Security") == normalize_name("People's security")


def test_different_names_stay_different():
    assert normalize_name("Camp 15") != normalize_name("Camp 16")
    assert normalize_name("") == ""
