"""Extraction: reading documents, finding mentions and proposing claims, on documents written for the tests."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from .conftest import ROOT
from rightsgraph.claims import loader as claims
from rightsgraph.extraction import extract
from rightsgraph import paths
from rightsgraph.extraction import workflow as review

DOCS = Path(__file__).parent / "fixtures" / "extract"
RULE = "https://w3id.org/rightsgraph/activity/rule/"


@pytest.fixture(scope="module")
def entities() -> dict:
    """The real project's entities, plus one test organization that is not in the graph."""
    real = dict(claims.load(paths.project(ROOT)).entities)
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
    # "a senior official" means something only with its organization, so the title keeps it
    assert role["facts"] == {"worksFor": "org/ministry-of-peoples-security",
                             "jobTitle": "senior official in the Ministry of People's Security"}


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


# -- documents written for each pattern, with entities of an imaginary country ---------------------------

def _entity(ident: str, type_: str, label: str, *aliases: str) -> SimpleNamespace:
    return SimpleNamespace(id=ident, type=type_, label=label, aliases=list(aliases))


IMAGINARY = [
    _entity("facility/camp-alpha", "PoliticalPrisonCamp", "Camp Alpha"),
    _entity("facility/camp-beta", "PoliticalPrisonCamp", "Camp Beta"),
    _entity("facility/camp-gamma", "PoliticalPrisonCamp", "Camp Gamma"),
    _entity("facility/camp-delta", "PoliticalPrisonCamp", "Camp Delta"),
    _entity("facility/camp-epsilon", "PoliticalPrisonCamp", "Camp Epsilon"),
    _entity("facility/kwanliso-31", "PoliticalPrisonCamp", "Stonehaven political prison camp", "Kwan-li-so No. 31",
            "Stonehaven"),
    _entity("facility/kwanliso-41", "PoliticalPrisonCamp", "Alpha Valley camp", "Kwan-li-so No. 41"),
    _entity("facility/kwanliso-42", "PoliticalPrisonCamp", "Beta Hill camp", "Kwan-li-so No. 42"),
    _entity("org/lantern-monitor", "NGO", "Lantern Monitor"),
    _entity("org/harbor-institute", "NGO", "Harbor Institute"),
    _entity("org/coastal-council", "Organization", "Coastal Council"),
    _entity("org/valley-rights-network", "NGO", "Valley Rights Network"),
    _entity("org/harvest-committee", "Organization", "Harvest committee"),
    _entity("org/north-star-commission", "UNBody", "The North Star Commission (NSC)"),
    _entity("org/government-of-ostland", "Government", "Government of Ostland", "Ostland"),
    _entity("place/ostland", "Country", "Ostland"),
    _entity("place/riverton", "City", "Riverton"),
    _entity("person/mara-quell", "Person", "Mara Quell"),
    _entity("person/tobin-vash", "Person", "Tobin Vash"),
    _entity("person/ilse-varga", "Person", "Ilse Varga"),
    _entity("group/orchard-believers", "Group", "Orchard Believers"),
    _entity("group/fishermen", "Group", "fishermen"),
    _entity("event/great-drought", "Famine", "Great Drought"),
    _entity("event/harbor-riot", "Riot", "Harbor Riot"),
    _entity("document/silent-valleys", "Report", "Silent Valleys"),
    _entity("document/harbor-letters", "Report", "Harbor Letters"),
    _entity("document/mountain-roads", "Report", "Mountain Roads"),
]
PATTERN_DOCS = ("figures.txt", "people.md", "listing.txt", "violations.txt", "table.txt")


@pytest.fixture(scope="module")
def imaginary() -> dict[str, list[dict]]:
    return {name: extract.propose(extract.read(DOCS / name), IMAGINARY) for name in PATTERN_DOCS}


def one(cands: list[dict], rule: str, subject: str | None = None) -> dict:
    hits = [c for c in cands if c["method"] == RULE + rule and (subject is None or c["subject"] == subject)]
    assert len(hits) == 1, (rule, subject, cands)
    return hits[0]


def test_pattern_quotes_are_the_text_at_their_offsets(imaginary):
    for name, cands in imaginary.items():
        text = extract.read(DOCS / name).text
        assert cands, name
        for c in cands:
            assert text[c["offsets"][0]:c["offsets"][1]] == c["quote"] and 0 < c["confidence"] <= 1, c


@pytest.mark.parametrize("rule, subject, figure", [
    ("prisoner-figure-up-to", "facility/camp-alpha", {"high": 8000, "qualifier": "up to"}),
    ("prisoner-figure-approximate", "facility/camp-beta", {"value": 1200, "qualifier": "about"}),
    ("prisoner-figure-between", "facility/camp-gamma", {"low": 2500, "high": 3000}),
    ("prisoner-figure-range", "facility/camp-delta", {"low": 600, "high": 900}),
    ("prisoner-figure-at-least", "facility/camp-epsilon", {"low": 400, "qualifier": "more than"}),
])
def test_each_figure_form(imaginary, rule, subject, figure):
    assert one(imaginary["figures.txt"], rule, subject)["facts"] == {"prisonerCount": figure}


def test_figures_of_a_group_held(imaginary):
    held = one(imaginary["figures.txt"], "prisoner-figure-plain", "group/orchard-believers")
    assert held["facts"] == {"prisonerCount": {"value": 5000}} and held["certainty"] == "estimated"


def test_hedges_are_kept_never_dropped(imaginary):
    cands = imaginary["figures.txt"]
    assert one(cands, "prisoner-figure-approximate")["certainty"] == "estimated"           # "about"
    assert one(cands, "prisoner-figure-between")["according_to"] == "org/lantern-monitor"  # "according to the ..."
    alleged = one(cands, "prisoner-figure-plain", "facility/camp-alpha")                    # "allegedly"
    assert alleged["facts"] == {"prisonerCount": {"value": 9500}} and alleged["certainty"] == "alleged"
    assert "certainty" not in one(cands, "prisoner-figure-up-to")
    unknown = extract.propose(_doc("Camp Alpha held 700 prisoners, according to former guards.\n"), IMAGINARY)
    assert unknown[0]["attribution"] == "former guards"


def test_numbers_that_count_no_people_or_are_years_give_nothing(imaginary):
    quotes = {c["quote"] for c in imaginary["figures.txt"]}
    assert not any("40 km" in q or "1990 to 1995" in q for q in quotes)


def test_deaths(imaginary):
    drought = one(imaginary["figures.txt"], "death-figure-range")
    assert drought["subject"] == "event/great-drought"
    assert drought["facts"] == {"deathCount": {"low": 20000, "high": 30000}}
    assert "certainty" not in drought  # "claimed the lives" is no hedge
    camp = one(imaginary["figures.txt"], "death-figure-at-least")
    assert camp["subject"] == "facility/camp-delta" and camp["facts"] == {"deathCount": {"low": 700, "qualifier": "more than"}}
    # the prisoners who died are not a count of prisoners held
    assert not [c for c in imaginary["figures.txt"] if "died" in c["quote"] and "prisonerCount" in c["facts"]]


def test_roles_after_and_before_the_name(imaginary):
    cands = imaginary["people.md"]
    assert one(cands, "role", "person/mara-quell")["facts"] == {
        "worksFor": "org/lantern-monitor", "jobTitle": "senior analyst at the Lantern Monitor"}
    assert one(cands, "role", "person/tobin-vash")["facts"] == {"worksFor": "org/harbor-institute", "jobTitle": "Director"}
    assert one(cands, "role-before-name", "person/ilse-varga")["facts"] == {
        "worksFor": "org/lantern-monitor", "jobTitle": "Field Researcher"}
    chair = extract.propose(_doc("Mara Quell, joint chair of the Harbor Institute, spoke.\n"), IMAGINARY)
    assert chair[0]["facts"] == {"chairOf": "org/harbor-institute", "jobTitle": "joint chair of the Harbor Institute"}


def test_membership(imaginary):
    cands = imaginary["people.md"]
    assert one(cands, "membership", "person/ilse-varga")["facts"] == {"memberOf": "org/coastal-council"}
    assert one(cands, "membership", "person/tobin-vash")["facts"] == {"memberOf": "org/coastal-council"}
    listed = extract.propose(_doc("The council named Mara Quell and Ilse Varga as members of the Coastal Council.\n"),
                             IMAGINARY)
    assert sorted(c["subject"] for c in listed if c["facts"] == {"memberOf": "org/coastal-council"}) == [
        "person/ilse-varga", "person/mara-quell"]


def test_publication_sentence(imaginary):
    pub = one(imaginary["people.md"], "publication")
    assert pub["subject"] == "document/silent-valleys"
    assert pub["facts"] == {"publisher": "org/lantern-monitor", "published": "2017-05-04"}


def test_publication_dates_in_a_listing_and_no_placeholder_dates(imaginary):
    cands = imaginary["listing.txt"]
    below = one(cands, "listing-date", "document/silent-valleys")
    assert below["facts"] == {"published": "2017-05-04"} and below["quote"] == "May 04, 2017"
    above = one(cands, "listing-date", "document/mountain-roads")
    assert above["facts"] == {"published": "2016-06-02"} and above["quote"] == "June 2, 2016 • Report"
    assert not [c for c in cands if c["subject"] == "document/harbor-letters"]  # "Dec 31, 1969" is no date
    assert not [c for c in cands if "1969" in str(c["facts"])]


def test_abductions(imaginary):
    cands = [c for c in imaginary["violations.txt"] if c["method"] == RULE + "abduction"]
    assert [c["facts"]["violation"] for c in cands] == [
        {"type": "violation/enforced-disappearance", "victims": ["group/orchard-believers"],
         "perpetrators": ["org/government-of-ostland"]},
        {"type": "violation/enforced-disappearance", "victims": ["group/fishermen"],
         "perpetrators": ["org/government-of-ostland"]}]  # "by Ostland": the country acts through its government
    assert {c["subject"] for c in cands} == {"org/government-of-ostland"}


def test_executions(imaginary):
    cands = {c["quote"]: c for c in imaginary["violations.txt"] if c["method"] == RULE + "execution"}
    public = cands["Orchard Believers were publicly executed in Riverton."]
    assert public["subject"] == "place/ostland"  # no agent named: the country the document is about
    assert public["facts"]["violation"] == {"type": "violation/public-execution", "victims": ["group/orchard-believers"]}
    resumed = cands["Ostland resumed public executions in 2009."]
    assert resumed["subject"] == "org/government-of-ostland"
    assert resumed["facts"]["violation"]["perpetrators"] == ["org/government-of-ostland"]
    plain = cands["Prisoners who try to escape may be executed."]
    assert plain["facts"]["violation"] == {"type": "violation/right-to-life"}
    assert plain["confidence"] < public["confidence"]


def test_event_dates(imaginary):
    cands = imaginary["violations.txt"]
    assert one(cands, "event-span")["facts"] == {"startDate": 1994, "endDate": 1998}
    riot = one(cands, "event-date")
    assert riot["subject"] == "event/harbor-riot" and riot["facts"] == {"date": "2001-03-12"}


def test_camp_designations_and_table_rows(imaginary):
    cands = imaginary["table.txt"]
    assert one(cands, "camp-designation", "facility/kwanliso-41")["facts"] == {
        "officialName": "Kwan-li-so No. 41", "facilityNumber": 41}
    row = one(cands, "table-row", "facility/kwanliso-41")
    assert row["facts"] == {"areaKm2": 120, "prisonerCount": 8000}
    assert row["quote"] == "Alpha Valley Camp | Kwan-li-so No. 41 | 120 km^{2} (46 mi^{2}) | 8,000"
    assert one(cands, "table-row", "facility/kwanliso-42")["facts"] == {
        "areaKm2": 0.5, "prisonerCount": {"low": 2000, "qualifier": "+"}}


def test_only_predicates_of_the_ontology(imaginary, proposed):
    from rightsgraph.model import ontology

    onto = ontology.load()
    assert set(extract.PREDICATES) <= set(onto.properties)
    for cands in (*imaginary.values(), *proposed.values()):
        for c in cands:
            assert set(c["facts"]) <= set(extract.PREDICATES), c
            for v in c["facts"].values():
                if isinstance(v, dict) and "type" in v:
                    assert any(str(t).endswith(v["type"].split("/", 1)[1]) for t in onto.violation_types)


def test_placeholder_dates_are_never_proposed():
    doc = _doc("The Lantern Monitor published the report \"Old Papers\" on December 31, 1969, in print.\n")
    assert extract.propose(doc, IMAGINARY) == []


# -- mention variants ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def variants() -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in extract.mentions(extract.read(DOCS / "variants.txt"), IMAGINARY)]


@pytest.mark.parametrize("text", ["KWAN-LI-SO NO. 31", "kwanliso 31", "Camp 31", "Stonehaven",
                                  "Stonehaven Political Prison Camp"])
def test_case_hyphens_romanization_possessive_and_label_case(variants, text):
    assert ("facility/kwanliso-31", text) in variants  # "Stonehaven" from "Stonehaven's"


def test_html_entity_left_in_plain_text_is_a_space(variants):
    assert ("facility/kwanliso-31", "Kwan-li-so&nbsp;No. 31") in variants


def test_name_split_by_a_line_break_hyphenated_or_plural(variants):
    assert ("org/harbor-institute", "Harbor\nInstitute") in variants
    assert ("org/lantern-monitor", "Lantern-Monitor") in variants
    assert ("org/harvest-committee", "Harvest committees") in variants


def test_acronym_in_brackets_and_label_without_the_and_brackets(variants):
    assert ("org/valley-rights-network", "VRN") in variants  # "(VRN)" after the name, then "the VRN"
    assert ("org/north-star-commission", "the North Star Commission") in variants


def test_country_or_government_by_context(variants):
    assert variants[-2:] == [("org/government-of-ostland", "Ostland"), ("place/ostland", "Ostland")]


def test_markup_between_words():
    found = [(m.entity, m.text) for m in extract.mentions(extract.read(DOCS / "variants.html"), IMAGINARY)]
    assert found == [("org/harbor-institute", "Harbor</b> Institute"), ("org/lantern-monitor", "Lantern</i>\nMonitor")]


def test_names_inside_longer_names_are_inner_mentions():
    ents = [_entity("org/a", "NGO", "Ostland Rights Office"), _entity("place/ostland", "Country", "Ostland")]
    found = extract.mentions(_doc("The Ostland Rights Office opened.\n"), ents)
    assert [(m.entity, m.text, m.inner) for m in found] == [
        ("org/a", "Ostland Rights Office", False), ("place/ostland", "Ostland", True)]


def test_lower_case_words_are_not_capitalized_names():
    ents = [_entity("document/taken", "Book", "Taken"), _entity("org/asa", "Company", "ASA")]
    assert extract.mentions(_doc("Records were taken as a rule. Taken is a book. ASA wrote.\n"), ents) and \
        [m.text for m in extract.mentions(_doc("Records were taken as a rule. Taken is a book. ASA wrote.\n"), ents)] == \
        ["Taken", "ASA"]


# -- new entities -------------------------------------------------------------------------------------

def test_new_entities_are_proposed_with_their_evidence():
    doc = extract.read(DOCS / "entities.txt")
    found = {r["id"]: r for r in extract.propose_entities(doc, IMAGINARY)}
    assert set(found) == {"org/valley-rights-committee", "facility/stonebrook-labor-camp", "person/arlen-dace",
                          "place/kestrel-province"}
    assert found["org/valley-rights-committee"]["label"] == "Valley Rights Committee"
    assert found["place/kestrel-province"]["type"] == "Province"
    assert found["person/arlen-dace"]["quote"] == "Mr. Arlen Dace spoke to the press."
    for r in found.values():
        start, end = r["offsets"]
        assert doc.text[start:end] == r["quote"] and r["label"] in r["quote"]
        assert r["method"].startswith(RULE + "new-") and 0 < r["confidence"] < 1


def test_a_report_named_in_a_publication_is_a_new_entity_with_the_claims_id():
    doc = extract.read(DOCS / "report.md")
    reports = [r for r in extract.propose_entities(doc, IMAGINARY) if r["id"].startswith("document/")]
    assert [(r["id"], r["type"], r["label"]) for r in reports] == [
        ("document/voices-from-the-valley", "Report", "Voices from the Valley")]
    claim = [c for c in extract.propose(doc, IMAGINARY) if c["method"] == RULE + "publication"][0]
    assert claim["subject"] == reports[0]["id"]


def test_known_names_are_not_new():
    doc = _doc("Prof. Vash met the Lantern Monitor and the Harbor Institute at Camp Alpha.\n")
    assert extract.propose_entities(doc, IMAGINARY) == []


def _doc(text: str) -> extract.Document:
    """A document of one text, its clean copy the text itself."""
    return extract.Document(Path("test.txt"), text, extract.clean_text(text), range(len(text)))


# -- review files -------------------------------------------------------------------------------

def test_review_file_is_written_in_the_authoring_format(proposed, tmp_path):
    doc = extract.read(DOCS / "report.txt")
    out = review.review_file(doc, proposed["report.txt"], tmp_path / "review.yaml")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["source"] == "report"
    written = [{k: v for k, v in c.items() if k != "review"} for c in data["claims"]]  # review.py adds its state
    assert written == proposed["report.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["review.yaml"]  # no temporary file left behind


def test_no_claims_no_review_file(entities, tmp_path):
    f = tmp_path / "quiet.md"
    f.write_text("Nothing here names a camp.\n", encoding="utf-8")
    assert review.extract(f, entities, tmp_path / "out" / "review.yaml") is None
    assert not (tmp_path / "out" / "review.yaml").exists()
