"""Who a document introduces and who speaks (attributions: "she told investigators", "said X", "according to Dr. X",
a testimony's first person), on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.mentions import mentions
from rightsgraph.extraction.speakers import introductions, speaker, witness
from rightsgraph.extraction.text import sentences

from .conftest import IMAGINARY, doc_of


def setup(text: str):
    doc = doc_of(text)
    found = mentions(doc, IMAGINARY)
    return doc, found, introductions(doc, found), sentences(doc.clean)


def test_each_way_of_introducing_a_person():
    _, _, intros, _ = setup("Dara Venn-ko, a former inmate of Camp Alpha, left in 2010. The Monitor's director, Joss "
                            "Emberly, spoke. My name is Hollis Prenn. Mara Quell, a researcher at the Lantern Monitor, came.")
    assert [(i.person, i.how, i.facility) for i in intros] == [
        ("person/dara-venn-ko", "apposition", "facility/camp-alpha"),
        ("person/joss-emberly", "title-first", None),
        ("person/hollis-prenn", "first-person", None)]  # Mara Quell is known: no introduction


def test_she_told_investigators_is_the_person_introduced_last():
    doc, _, intros, sents = setup("Dara Venn-ko, a former inmate of Camp Alpha, left in 2010. She told investigators "
                                  "that the guards beat prisoners.")
    assert speaker(doc, sents[1], intros).person == "person/dara-venn-ko"
    assert witness(doc, sents[1], intros).facility == "facility/camp-alpha"


def test_said_and_according_to_name_the_speaker_by_full_or_family_name():
    doc, _, intros, sents = setup("Dara Venn-ko, a former inmate of Camp Alpha, left. Joss Emberly, an analyst at "
                                  "the Harbor Institute, agreed. \"It was cold,\" said Dara Venn-ko. The camp grew, "
                                  "according to Dr. Emberly.")
    assert speaker(doc, sents[2], intros).person == "person/dara-venn-ko"
    assert speaker(doc, sents[3], intros).person == "person/joss-emberly"


def test_no_speaker_in_plain_prose():
    doc, _, intros, sents = setup("Dara Venn-ko, a former inmate of Camp Alpha, left. The camp is in a valley.")
    assert speaker(doc, sents[1], intros) is None


def test_a_testimony_speaks_in_the_first_person():
    doc, _, intros, sents = setup("My name is Hollis Prenn. I was sent to Camp Beta in 2001.\n\nThe food was bad.")
    assert intros[0].facility == "facility/camp-beta"
    assert speaker(doc, sents[-1], intros).person == "person/hollis-prenn"
