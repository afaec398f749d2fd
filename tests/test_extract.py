"""Extraction: reading documents, finding mentions and proposing claims, on documents written for the tests."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from rightsgraph import claims, extract, paths, review

DOCS = Path(__file__).parent / "fixtures" / "extract"
RULE = "https://w3id.org/rightsgraph/activity/rule/"


@pytest.fixture(scope="module")
def entities() -> dict:
    """The real project's entities, plus one test organization that is not in the graph."""
    real = dict(claims.load(paths.project()).entities)
    real["org/example-watch"] = SimpleNamespace(id="org/example-watch", label="Example Watch", aliases=[], type="NGO")
    return real


@pytest.fixture(scope="module")
def proposed(entities) -> dict[str, list[dict]]:
    return {name: extract.propose(extract.read(DOCS / name), entities) for name in ("report.txt", "report.md", "page.html")}


def find(cands: list[dict], rule: str, **facts) -> dict:
    hits = [c for c in cands if c["method"] == RULE + rule and all(c["facts"].get(k) == v for k, v in facts.items())]
    assert len(hits) == 1, (rule, facts, cands)
    return hits[0]


# -- reading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["report.txt", "report.md", "page.html"])
def test_clean_keeps_offsets(name):
    doc = extract.read(DOCS / name)
    assert len(doc.clean) == len(doc.text) == len(doc.offsets)
    for i, ch in enumerate(doc.clean):
        if not ch.isspace():
            j = doc.offsets[i]
            assert doc.text[j] == ch or doc.text[j] == "&", (i, ch)


def test_html_is_cleaned_and_decoded_from_its_declared_charset():
    doc = extract.read(DOCS / "page.html")
    assert "Café talk" in doc.text  # windows-1252, declared by <meta charset>
    for debris in ("<", "99,999", "color: red", "mysql_query", "on line", "&amp;", "&nbsp;"):
        assert debris not in doc.clean, debris
    start = doc.clean.index("estimated 15,000 prisoners")
    a, b = doc.span(start, start + len("estimated 15,000 prisoners"))
    assert doc.text[a:b] == "estimated 15,000 prisoners"


def test_text_debris_is_blanked():
    doc = extract.read(DOCS / "report.txt")
    assert "mysql_connect" not in doc.clean and "==" not in doc.clean and "|" not in doc.clean
    assert "Camps" in doc.clean and "Camp No. 15" in doc.clean


@pytest.mark.parametrize("name, message", [
    ("image.txt", "binary"),
    ("latin1.txt", "not valid utf-8"),
    ("empty.txt", "empty"),
    ("blank.md", "empty"),
])
def test_bad_input_gets_a_clear_error_and_no_review_file(name, message, entities, tmp_path):
    out = tmp_path / "review.yaml"
    with pytest.raises(ValueError) as err:
        review.extract(DOCS / name, entities, out)
    assert name in str(err.value) and message in str(err.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_unsupported_suffix_is_refused(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_text("Camp 15")
    with pytest.raises(ValueError, match="x.pdf"):
        extract.read(pdf)


# -- mentions -----------------------------------------------------------------------------------

def test_camp_variants_and_possessives_resolve_to_the_real_entity(entities):
    doc = extract.read(DOCS / "report.txt")
    found = extract.mentions(doc, entities)
    by_text = {m.text: m.entity for m in found}
    for name in ("Camp 15", "kwanliso 15", "Kwan-li-so No. 15", "Yodok", "Yodok camp", "Camp No. 15"):
        assert by_text.get(name) == "facility/kwanliso-15", name
    assert by_text["Camp 16"] == "facility/kwanliso-16"
    assert "Yodok's" in doc.text[found[3].start:found[3].end + 2]
    for m in found:
        assert doc.text[m.start:m.end] == m.text


def test_mentions_tolerate_case_hyphens_markup_and_possessives(entities):
    md = extract.read(DOCS / "report.md")
    found = {m.entity: m.text for m in extract.mentions(md, entities)}
    assert found["person/kim-jong-un"] == "Kim Jong Un"  # from "Kim Jong Un's"
    assert found["org/ministry-of-peoples-security"] == "Ministry of People's Security"
    page = extract.read(DOCS / "page.html")
    texts = [(m.entity, m.text) for m in extract.mentions(page, entities)]
    assert ("facility/kwanliso-14", "Camp&nbsp;14") in texts
    assert all("15" not in t for _, t in texts)  # the script and style mention Camp 15: not text


def test_longest_match_wins_and_no_partial_numbers():
    ents = [SimpleNamespace(id="facility/a", label="Camp 1", aliases=[], type="x"),
            SimpleNamespace(id="facility/b", label="Camp 1 annex", aliases=["KWAN-LI-SO 1"], type="x")]
    m = extract.Matcher(ents)
    text = "Camp 1 Annex, camp 10, Camp 1, kwan li so no. 1."
    assert [(e, text[s:t]) for e, s, t in m.find(text)] == [
        ("facility/b", "Camp 1 Annex"), ("facility/a", "Camp 1"), ("facility/b", "kwan li so no. 1")]


def test_shared_names_are_not_guessed():
    ents = [SimpleNamespace(id="person/a", label="Kim", aliases=[], type="x"),
            SimpleNamespace(id="person/b", label="Kim", aliases=[], type="x")]
    assert extract.Matcher(ents).find("Kim said") == []


# -- rules --------------------------------------------------------------------------------------

def test_every_quote_is_the_original_text_at_its_offsets(proposed):
    for name, cands in proposed.items():
        text = extract.read(DOCS / name).text
        assert cands, name
        for c in cands:
            start, end = c["offsets"]
            assert text[start:end] == c["quote"] and len(c["quote"]) < 300
            assert c["method"].startswith(RULE) and 0 < c["confidence"] <= 1


def test_prisoner_figures(proposed):
    txt = proposed["report.txt"]
    up_to = find(txt, "prisoner-figure-up-to")
    assert up_to["subject"] == "facility/kwanliso-15"
    assert up_to["facts"]["prisonerCount"] == {"high": 50000, "qualifier": "up to"}
    about = find(txt, "prisoner-figure-approximate")
    assert about["facts"]["prisonerCount"] == {"value": 3100, "qualifier": "about"}
    assert about["certainty"] == "estimated"
    between = find(txt, "prisoner-figure-between")
    assert between["facts"]["prisonerCount"] == {"low": 40000, "high": 45000}
    assert between["attribution"] == "the Test Survey Group"
    rng = find(txt, "prisoner-figure-range")
    assert rng["subject"] == "facility/kwanliso-15"  # named as "Yodok's"
    assert rng["facts"]["prisonerCount"] == {"low": 30000, "high": 35000}
    more = find(txt, "prisoner-figure-at-least")
    assert more["subject"] == "facility/kwanliso-16"
    assert more["facts"]["prisonerCount"] == {"low": 2000, "qualifier": "more than"}
    assert "certainty" not in more
    estimated = find(proposed["page.html"], "prisoner-figure-approximate")
    assert estimated["facts"]["prisonerCount"] == {"value": 15000, "qualifier": "an estimated"}
    assert estimated["subject"] == "facility/kwanliso-14"


def test_numbers_that_count_no_people_are_left_alone(entities, tmp_path):
    f = tmp_path / "n.txt"
    f.write_text("Camp 15 covers about 378 km of valley. There were around twelve prison camps, "
                 "and Camp 16 held prisoners from 1990 to 1995.\n", encoding="utf-8")
    assert [c for c in extract.propose(extract.read(f), entities) if "prisonerCount" in c["facts"]] == []


def test_publication(proposed):
    pub = find(proposed["report.md"], "publication")
    assert pub["facts"] == {"publisher": "org/example-watch", "published": "2016-03-08"}
    assert pub["subject"] == "document/voices-from-the-valley" and "new entity" in pub["note"]
    assert pub["quote"].startswith("Example Watch published") and pub["quote"].endswith("accounts.")


def test_roles(proposed):
    role = find(proposed["report.md"], "role")
    assert role["subject"] == "person/choe-pu-il"
    assert role["facts"] == {"worksFor": "org/ministry-of-peoples-security", "jobTitle": "senior official"}


def test_camp_designations(proposed):
    desig = find(proposed["report.txt"], "camp-designation", officialName="Kwan-li-so No. 15")
    assert desig["subject"] == "facility/kwanliso-15" and desig["facts"]["facilityNumber"] == 15
    plain = find(proposed["report.txt"], "camp-designation", facilityNumber=15, officialName=None)
    assert "officialName" not in plain["facts"]  # "Camp No. 15" is a number, not an official name
    html = find(proposed["page.html"], "camp-designation")
    assert html["facts"] == {"officialName": "Kwan-li-so No. 14", "facilityNumber": 14}


def test_parse_number():
    assert extract.parse_number("120,000") == 120000
    assert extract.parse_number("1.5 million") == 1500000
    assert extract.parse_number("two million") == 2000000


# -- review files -------------------------------------------------------------------------------

def test_review_file_is_written_in_the_authoring_format(proposed, tmp_path):
    doc = extract.read(DOCS / "report.txt")
    out = review.review_file(doc, proposed["report.txt"], tmp_path / "review.yaml")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["source"] == "report"
    assert data["claims"] == proposed["report.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["review.yaml"]  # no temporary file left behind


def test_no_claims_no_review_file(entities, tmp_path):
    f = tmp_path / "quiet.md"
    f.write_text("Nothing here names a camp.\n", encoding="utf-8")
    assert review.extract(f, entities, tmp_path / "out" / "review.yaml") is None
    assert not (tmp_path / "out" / "review.yaml").exists()
