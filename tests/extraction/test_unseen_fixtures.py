"""The held-out documents of issue 16 (tests/fixtures/unseen/, unseen2/) and their expected candidates are well formed.

These tests check the fixtures only, not the extractor: every quote and surface form is verbatim
text of its document (outside markup), every entity id is known or proposed by the same file,
every predicate, class, measure and violation type is the ontology's, and every figure is dated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rightsgraph.model import ontology as ontology_mod

ROOT = Path(__file__).resolve().parents[2]
#: The held-out sets, each with the least number of documents it must hold (the second set was written later).
SETS = {ROOT / "tests" / "fixtures" / "unseen": 5, ROOT / "tests" / "fixtures" / "unseen2": 4}
EXPECTED = sorted(p for folder in SETS for p in folder.glob("*.expected.yaml"))
MARKER = ("FICTIONAL TEST DOCUMENT: invented people, organisations' statements and events; "
          "written for rightsgraph's extraction tests")
ENTITY_REF = re.compile(r"^(person|org|group|facility|place|document|event)/[a-z0-9]+(-[a-z0-9]+)*$")
FIGURE_KEYS = {"value", "low", "high", "unit", "as_of", "period", "qualifier", "stated_as",
               "measure", "dated_by", "undated"}
CLAIM_KEYS = {"subject", "quote", "facts", "certainty", "according_to", "attribution", "as_of", "note"}
CERTAINTIES = {"reported", "alleged", "estimated", "confirmed", "denied"}


@pytest.fixture(scope="module")
def onto() -> ontology_mod.Ontology:
    return ontology_mod.load(ROOT / "ontology" / "rightsgraph.ttl")


@pytest.fixture(scope="module")
def known_ids() -> set[str]:
    ids: set[str] = set()
    for path in sorted((ROOT / "graph" / "entities").glob("*.yaml")):
        ids.update(item["id"] for item in yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return ids


def load(path: Path) -> tuple[dict, str]:
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    document = path.parent / expected["document"]
    assert document.name == path.name.replace(".expected.yaml", document.suffix), \
        f"{path.name}: document {document.name} does not share its name"
    return expected, document.read_text(encoding="utf-8")


def text_spans(doc: str, html: bool) -> list[tuple[int, int]]:
    """The spans of the document that are text: all of it, or for HTML what lies outside tags,
    comments, scripts and styles."""
    if not html:
        return [(0, len(doc))]
    hidden = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
    spans, at = [], 0
    for m in hidden.finditer(doc):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(doc)))
    return spans


def assert_text(quote: str, doc: str, html: bool, where: str) -> None:
    assert isinstance(quote, str) and quote.strip() == quote and quote, f"{where}: empty or padded quote {quote!r}"
    assert "<" not in quote and ">" not in quote, f"{where}: the quote contains markup: {quote!r}"
    assert not re.search(r"&#?\w+;", quote), f"{where}: the quote contains a character reference: {quote!r}"
    assert quote in doc, f"{where}: not verbatim in the document: {quote!r}"
    starts = [m.start() for m in re.finditer(re.escape(quote), doc)]
    assert any(a <= s and s + len(quote) <= b for s in starts for a, b in text_spans(doc, html)), \
        f"{where}: occurs only inside markup: {quote!r}"


def entity_refs(prop: ontology_mod.Property, value) -> list[str]:
    """The entity ids in one fact's value."""
    values = value if isinstance(value, list) else [value]
    refs: list[str] = []
    for v in values:
        if prop.value == "entity":
            refs.append(v)
        elif prop.value == "violation":
            v = v if isinstance(v, dict) else {"type": v}
            for key in ("victims", "perpetrators"):
                more = v.get(key) or []
                refs.extend(more if isinstance(more, list) else [more])
    return refs


@pytest.mark.parametrize("folder", sorted(SETS), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_there_are_enough_documents(folder):
    expected = sorted(folder.glob("*.expected.yaml"))
    assert len(expected) >= SETS[folder]
    suffixes = {(folder / yaml.safe_load(p.read_text(encoding="utf-8"))["document"]).suffix for p in expected}
    assert {".txt", ".md", ".html"} <= suffixes


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_document_is_marked_fictional_and_short(path):
    _, doc = load(path)
    head = re.sub(r"<[^>]*>", " ", doc[:1200])
    assert MARKER in head, f"{path.name}: the document does not say at the top that it is fictional"
    words = len(re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", " ", doc, flags=re.S).split())
    assert 150 <= words <= 400, f"{path.name}: {words} words"


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_quotes_are_verbatim_text(path):
    expected, doc = load(path)
    html = expected["document"].endswith(".html")
    for i, m in enumerate(expected.get("mentions") or []):
        assert_text(m["surface"], doc, html, f"{path.name} mention {i + 1}")
    for e in expected.get("new_entities") or []:
        assert_text(e["quote"], doc, html, f"{path.name} entity {e['id']}")
    for i, c in enumerate(expected.get("claims") or []):
        assert_text(c["quote"], doc, html, f"{path.name} claim {i + 1}")


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_entities_are_known_or_new(path, onto, known_ids):
    expected, _ = load(path)
    new = {}
    for e in expected.get("new_entities") or []:
        assert ENTITY_REF.match(e["id"]), f"{path.name}: bad id {e['id']}"
        assert e["id"] not in known_ids, f"{path.name}: {e['id']} is already in graph/entities"
        assert e["id"] not in new, f"{path.name}: {e['id']} proposed twice"
        cls = onto.class_named(e["type"])
        assert cls is not None, f"{path.name}: {e['type']} is not a class of the ontology"
        assert onto.kind_of(cls) == e["id"].split("/")[0], f"{path.name}: {e['type']} is not a {e['id']} kind"
        assert isinstance(e.get("label"), str) and e["label"].strip()
        new[e["id"]] = e
    usable = known_ids | set(new)

    def check(ref: str, where: str) -> None:
        if ref.startswith("violation/"):
            assert any(str(v).endswith("/" + ref.split("/", 1)[1]) for v in onto.violation_types), \
                f"{where}: {ref} is not a violation type"
        else:
            assert ref in usable, f"{where}: {ref} is neither in graph/entities nor proposed by this file"

    for m in expected.get("mentions") or []:
        assert m["id"] in known_ids, f"{path.name}: mention of {m['id']}, which is not a known entity"
    for i, c in enumerate(expected.get("claims") or []):
        where = f"{path.name} claim {i + 1}"
        assert set(c) <= CLAIM_KEYS, f"{where}: unknown key(s) {set(c) - CLAIM_KEYS}"
        refs = [c["subject"]] + ([c["according_to"]] if "according_to" in c else [])
        assert c.get("certainty", "reported") in CERTAINTIES, where
        for name, value in c["facts"].items():
            prop = onto.properties.get(name)
            assert prop is not None, f"{where}: {name} is not a property of the ontology"
            refs += entity_refs(prop, value)
        for ref in refs:
            check(ref, where)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_figures_are_well_formed_and_dated(path, onto):
    expected, _ = load(path)
    for i, c in enumerate(expected.get("claims") or []):
        where = f"{path.name} claim {i + 1}"
        for name, value in c["facts"].items():
            prop = onto.properties[name]
            if prop.value != "figure":
                continue
            for fig in (value if isinstance(value, list) else [value]):
                assert isinstance(fig, dict), f"{where}: {name} must be a mapping that carries its date"
                assert set(fig) <= FIGURE_KEYS, f"{where}: unknown figure key(s) {set(fig) - FIGURE_KEYS}"
                assert {"value", "low", "high", "stated_as"} & set(fig), f"{where}: {name} has no number"
                if "measure" in fig:
                    assert fig["measure"] in onto.measures, f"{where}: unknown measure {fig['measure']}"
                else:
                    assert onto.default_measure(prop.iri) is not None, f"{where}: {name} must name its measure"
                if fig.get("measure") == "other":
                    assert "unit" in fig, f"{where}: measure other needs a unit"
                assert "as_of" in fig or "as_of" in c or "undated" in fig, f"{where}: {name} is undated"
