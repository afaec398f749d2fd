"""Review files: extraction into them, reading them back with the graph, and accepting their items into graph/."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from rightsgraph.store import build
from rightsgraph.extraction import propose as extract
from rightsgraph import paths
from rightsgraph.sparql import queries
from rightsgraph.claims import reviewfile
from rightsgraph.extraction import workflow as review
from rightsgraph.store import embedded as store
from rightsgraph.sources.corpus import Corpus
from rightsgraph.errors import DataError, UsageError
from rightsgraph.sources.reading import read, read_text

from ..conftest import ROOT, copy_project
from .conftest import bare_facts

QUERIES = ROOT / "queries"

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"
RULE = "https://w3id.org/rightsgraph/activity/rule/"


def graph_hashes(root: Path) -> dict[str, str]:
    """The sha256 of every file under graph/, to tell whether anything was touched."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "graph").rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """The fixture project, its corpus, and the two test documents copied beside it."""
    root = copy_project(tmp_path / "mini", "mini")
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    return paths.project(root), Corpus(root / "corpus"), docs


def extract_to(p, corpus, doc: Path, out: Path, **kw) -> Path:
    state = review.project_state(p, corpus)
    ex = review.extract_document(doc, state, p, **kw)
    return review.write_review(ex, out / f"{ex.source}.yaml", p.root)


def mark(path: Path, states: list[str]) -> None:
    """Set the review: value of the items of a review file, in order (entities first, then claims)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    it = iter(states)
    out = []
    for line in lines:
        if line.startswith("- review: pending"):
            line = line.replace("pending", next(it), 1)
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")


# -- extraction and the review file --------------------------------------------------------------

def test_review_file_is_the_authoring_format_with_review_fields(project, tmp_path):
    p, corpus, docs = project
    before = graph_hashes(p.root)
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Review file written by `rightsgraph extract`")
    assert "rightsgraph accept" in text and "review: accept" in text
    data = yaml.safe_load(text)
    assert list(data) == ["document", "source", "mentions", "new_entities", "claims"]  # mentions: issue 16
    doc = data["document"]
    assert doc["id"] == data["source"] == "update" and doc["file"] == "update.html"
    assert doc["title"] == "Camp 99 Update – 2012" and doc["publisher"] == "Example Watch"
    assert doc["sha256"] == hashlib.sha256((docs / "update.html").read_bytes()).hexdigest()
    assert doc["url"].startswith("ni:///sha-256;") and (p.root / doc["path"]).resolve() == (docs / "update.html").resolve()
    whole = read(docs / "update.html").text
    assert len(data["claims"]) == 3
    for c in data["claims"]:
        assert c["review"] == "pending" and c["method"].startswith(RULE) and 0 < c["confidence"] <= 1
        start, end = c["offsets"]
        assert whole[start:end] == c["quote"]
        for hidden in ("99,999", "77,777", "55,555", "66,666", "98"):  # script, style, comment: not text
            assert hidden not in c["quote"]
    assert [p.name for p in out.parent.iterdir()] == ["update.yaml"]  # no temporary file left
    assert graph_hashes(p.root) == before


def test_a_known_document_keeps_its_source_id(project, tmp_path):
    p, corpus, docs = project
    copy = tmp_path / "Some Other Name.txt"
    shutil.copy(p.root / "corpus" / "report.txt", copy)
    (p.graph / "claims" / "designation.yaml").write_text(
        "source: test-camp-report\nclaims:\n  - subject: facility/camp-99\n"
        "    quote: \"Camp 99, also called Kwan-li-so No. 99, lies in Test Province.\"\n"
        "    facts: {officialName: Kwan-li-so No. 99, facilityNumber: 99}\n", encoding="utf-8")
    state = review.project_state(p, corpus)
    ex = review.extract_document(copy, state, p)
    assert ex.known and ex.source == "test-camp-report" and ex.document["url"] == "https://example.org/camp-report"
    assert ex.duplicates == 1 and ex.claims == []  # a claim already in graph/ is not proposed again


def test_new_ids_url_and_clashes(project, tmp_path):
    p, corpus, docs = project
    state = review.project_state(p, corpus)
    ex = review.extract_document(docs / "notes.md", state, p, url="https://www.example.org/notes")
    review.write_review(ex, tmp_path / "review" / "notes.yaml")
    assert ex.source == "notes" and not ex.known
    assert ex.document["title"] == "Field notes from Test Province"
    assert ex.document["url"] == "https://www.example.org/notes" and ex.document["publisher"] == "example.org"
    other = tmp_path / "elsewhere" / "notes.md"
    other.parent.mkdir()
    other.write_text("# Other notes\n\nCamp 99 held up to 9,000 prisoners in 2001.\n", encoding="utf-8")
    taken = reviewfile.reviewed_documents(tmp_path / "review")  # review/notes.yaml is about the first notes.md
    assert taken == {"notes": ex.document["sha256"]}
    second = review.extract_document(other, state, p, taken=taken)
    assert second.source == f"notes-{second.document['sha256'][:8]}"
    again = review.extract_document(docs / "notes.md", state, p, taken=taken)
    assert again.source == "notes"  # the same document again: its own review file


def test_candidates_that_fail_the_checks_are_left_out_with_a_reason(project, monkeypatch):
    p, corpus, docs = project
    state = review.project_state(p, corpus)
    monkeypatch.setattr(extract, "propose_entities", lambda doc, entities: [])
    ex = review.extract_document(docs / "notes.md", state, p)
    assert any("document/voices-from-camp-99" in why and "unknown entity" in why for why in ex.dropped)
    assert [bare_facts(c["facts"]) for c in ex.claims] == [{"prisonerCount": {"low": 30000, "high": 35000}}]


def test_new_entities_are_proposed_and_their_claims_kept(project, tmp_path, monkeypatch):
    p, corpus, docs = project
    proposals = []

    def propose_entities(doc, entities):
        at = doc.text.find("Voices from Camp 99")
        if at < 0:
            return []
        start = doc.text.rfind("\n", 0, at) + 1
        end = doc.text.find("\n", at)
        item = {"id": "document/voices-from-camp-99", "type": "Report", "label": "Voices from Camp 99",
                "quote": doc.text[start:end], "method": RULE + "new-report", "confidence": 0.5, "offsets": [start, end]}
        proposals.append(item)
        return [item]

    monkeypatch.setattr(extract, "propose_entities", propose_entities)
    out = extract_to(p, corpus, docs / "notes.md", tmp_path / "review")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    [ent] = data["new_entities"]
    assert ent["id"] == "document/voices-from-camp-99" and ent["source"] == "notes" and ent["review"] == "pending"
    assert read(docs / "notes.md").text[ent["offsets"][0]:ent["offsets"][1]] == ent["quote"]
    assert {c["subject"] for c in data["claims"]} == {"document/voices-from-camp-99", "facility/camp-99"}


def test_writing_again_keeps_the_review_marks(project, tmp_path):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    mark(out, ["accept", "reject", "pending"])
    extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    assert [c["review"] for c in yaml.safe_load(out.read_text(encoding="utf-8"))["claims"]] == ["accept", "reject", "pending"]


# -- the graph with candidates -------------------------------------------------------------------

def test_include_candidates_puts_them_in_the_store_with_method_and_confidence(project, tmp_path):
    p, corpus, docs = project
    folder = tmp_path / "review"
    out = extract_to(p, corpus, docs / "update.html", folder)
    mark(out, ["pending", "reject", "accept"])
    before = graph_hashes(p.root)
    with_ = build.build(p, corpus, tmp_path / "s1", tmp_path / "e1", include_candidates=folder)
    without = build.build(p, corpus, tmp_path / "s2", tmp_path / "e2")
    q = queries.named(paths.project(ROOT).queries)["extracted-claims"]
    rows = [dict(zip(r.vars, row)) for r in [queries.run(store.open(with_.store), q)] for row in r.as_strings()]
    assert {(r["rule"], r["confidence"], r["source"]) for r in rows} == {
        ("prisoner-figure-up-to", "0.75", "update"), ("role", "0.75", "update")}  # the rejected one is left out
    assert queries.run(store.open(without.store), q).rows == []
    assert with_.claims == without.claims + 2
    labels = queries.run(store.open(with_.store), queries.resolve(
        "SELECT ?l WHERE { <https://w3id.org/rightsgraph/activity/rule/role> a <https://w3id.org/rightsgraph/ontology#ExtractionRule>, "
        "<http://www.w3.org/ns/prov#Activity> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }", QUERIES))
    assert labels.as_strings() == [("extraction rule role",)]
    assert graph_hashes(p.root) == {**before, "graph/anchors.tsv": graph_hashes(p.root)["graph/anchors.tsv"]}
    # anchors.tsv holds graph/'s own claims only
    assert "claim/update/" not in (p.graph / "anchors.tsv").read_text(encoding="utf-8")


def test_bad_review_files_fail_at_their_lines(project, tmp_path):
    p, corpus, docs = project
    folder = tmp_path / "review"
    out = extract_to(p, corpus, docs / "update.html", folder)
    text = out.read_text(encoding="utf-8")
    text = text.replace("- review: pending\n  subject: facility/camp-99\n  quote: In 2012",
                        "- review: maybe\n  subject: facility/camp-99\n  quote: In 2012", 1)
    text = text.replace("subject: person/jane-doe", "subject: person/nobody", 1)
    text = text.replace("quote: Café owners", "quote: Cafe owners", 1)
    out.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(DataError) as err:
        build.load_checked_graph(p, corpus, shacl=False, include_candidates=folder)
    found = {(pr.file.rsplit("/", 1)[-1], pr.line): pr.message for pr in err.value.problems}
    n_review = next(i for i, ln in enumerate(lines, 1) if "review: maybe" in ln)
    n_subject = next(i for i, ln in enumerate(lines, 1) if "person/nobody" in ln)
    n_quote = next(i for i, ln in enumerate(lines, 1) if "Cafe owners" in ln)
    assert "must be one of pending, accept, reject" in found[("update.yaml", n_review)]
    assert "unknown entity 'person/nobody'" in found[("update.yaml", n_subject)]
    assert "quote is not the document text at offsets" in found[("update.yaml", n_quote)]
    with pytest.raises(UsageError, match="no review folder"):
        build.load_checked_graph(p, corpus, include_candidates=tmp_path / "nowhere")


# -- accept ------------------------------------------------------------------------------------------

def test_accept_moves_only_the_accepted_items_and_the_graph_validates(project, tmp_path):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    mark(out, ["accept", "reject", "pending"])
    report = review.accept(p, out, corpus=corpus)
    assert (report.claims, report.entities, report.source_added) == (1, 0, "update")
    assert report.left == {"pending": 1, "accept": 0, "reject": 1}
    claims_file = yaml.safe_load((p.graph / "claims" / "update.yaml").read_text(encoding="utf-8"))
    [moved] = claims_file["claims"]
    assert claims_file["source"] == "update"
    assert moved["method"] == RULE + "prisoner-figure-up-to" and moved["confidence"] == 0.75
    assert "review" not in moved and "offsets" not in moved
    sources = yaml.safe_load((p.graph / "sources.yaml").read_text(encoding="utf-8"))
    assert sources[-1]["id"] == "update" and sources[-1]["path"].endswith("update.html")
    left = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [c["review"] for c in left["claims"]] == ["reject", "pending"]
    assert out.read_text(encoding="utf-8").startswith("# Review file")  # the comments stay
    build.load_checked_graph(p, corpus)       # quotes found in the corpus and, for the new source, through its path
    build.load_checked_graph(p, None)         # and from the recorded offsets alone
    report = review.accept(p, out, all_items=True, corpus=corpus)
    assert report.claims == 1 and report.left == {"pending": 0, "accept": 0, "reject": 1}
    build.load_checked_graph(p, None)


def test_accept_is_all_or_nothing(project, tmp_path):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    mark(out, ["accept", "accept", "accept"])
    out.write_text(out.read_text(encoding="utf-8").replace("officialName: Kwan-li-so No. 99", "officialName: [1, 2]: x"),
                   encoding="utf-8")
    before, review_before = graph_hashes(p.root), out.read_bytes()
    with pytest.raises(DataError) as err:
        review.accept(p, out, corpus=corpus)
    assert all(pr.file.endswith("update.yaml") and pr.line > 0 for pr in err.value.problems), err.value.problems
    assert graph_hashes(p.root) == before and out.read_bytes() == review_before
    assert not list(p.root.glob(".accept-*"))  # the staging copy is gone


def test_accept_refuses_when_graph_changes_meanwhile(project, tmp_path, monkeypatch):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    real_check = build.load_checked_graph

    def check_and_edit(*args, **kwargs):
        result = real_check(*args, **kwargs)
        with open(p.graph / "sources.yaml", "a", encoding="utf-8") as fh:
            fh.write("# edited by someone else\n")
        return result

    monkeypatch.setattr(build, "load_checked_graph", check_and_edit)
    before = graph_hashes(p.root)
    with pytest.raises(UsageError, match="changed while"):
        review.accept(p, out, all_items=True, corpus=corpus)
    after = graph_hashes(p.root)
    assert {k for k in before if before[k] != after[k]} == {"graph/sources.yaml"}  # only the other person's edit


def test_accept_skips_what_is_already_in_graph_and_checks_new_entities(project, tmp_path, monkeypatch):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    copy = out.read_text(encoding="utf-8")
    review.accept(p, out, all_items=True, corpus=corpus)
    out.write_text(copy, encoding="utf-8")  # the same review file again
    report = review.accept(p, out, all_items=True, corpus=corpus)
    assert report.claims == 0 and len(report.skipped) == 3 and all("already in graph/" in s for s in report.skipped)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["claims"] == []
    # a claim about a new entity needs the entity
    monkeypatch.setattr(extract, "propose_entities", lambda doc, entities: [
        {"id": "document/voices-from-camp-99", "type": "Report", "label": "Voices from Camp 99",
         "quote": doc.text[34:134], "offsets": [34, 134], "method": RULE + "new-report", "confidence": 0.5}])
    notes = extract_to(p, corpus, docs / "notes.md", tmp_path / "review")
    mark(notes, ["reject", "accept", "accept"])
    before = graph_hashes(p.root)
    with pytest.raises(DataError, match="unknown entity 'document/voices-from-camp-99'"):
        review.accept(p, notes, corpus=corpus)
    assert graph_hashes(p.root) == before
    notes.write_text(notes.read_text(encoding="utf-8").replace("- review: reject", "- review: accept", 1), encoding="utf-8")
    report = review.accept(p, notes, corpus=corpus)
    assert (report.claims, report.entities) == (2, 1)
    entities = yaml.safe_load((p.graph / "entities" / "extracted.yaml").read_text(encoding="utf-8"))
    assert entities[0]["id"] == "document/voices-from-camp-99" and entities[0]["method"] == RULE + "new-report"
    build.load_checked_graph(p, None)


def test_a_shortened_quote_gets_its_own_offsets(project, tmp_path):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    mark(out, ["accept", "reject", "reject"])
    text = out.read_text(encoding="utf-8").replace(
        "quote: In 2012 Camp 99 held up to 40,000 prisoners, according to Example Watch.",
        "quote: Camp 99 held up to 40,000 prisoners", 1)
    out.write_text(text, encoding="utf-8")
    review.accept(p, out, corpus=corpus)
    anchors = (p.graph / "anchors.tsv").read_text(encoding="utf-8")
    whole = read(docs / "update.html").text
    start = whole.index("Camp 99 held up to 40,000 prisoners")
    assert f"\t{start}\t{start + len('Camp 99 held up to 40,000 prisoners')}\t" in anchors
    build.load_checked_graph(p, corpus)


def test_accept_needs_the_text(project, tmp_path):
    p, corpus, docs = project
    out = extract_to(p, corpus, docs / "update.html", tmp_path / "review")
    (docs / "update.html").unlink()
    with pytest.raises(DataError, match=r"not at '\.\./docs/update\.html'"):
        review.accept(p, out, all_items=True, corpus=corpus)


HTML_DOCUMENTS = sorted([*(ROOT / "tests" / "fixtures").glob("unseen*/*.html"), ROOT / "tests" / "fixtures" / "extract" / "page.html",
                         ROOT / "tests" / "fixtures" / "extract" / "variants.html"])
_MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _inside_markup(text: str) -> list[tuple[int, int]]:
    """The spans of a page that are markup: tags, comments, scripts and styles."""
    return [(m.start(), m.end()) for m in _MARKUP.finditer(text)]


@pytest.mark.parametrize("page", HTML_DOCUMENTS, ids=lambda p: p.name)
def test_review_file_quotes_are_text_never_markup(page, tmp_path):
    """Acceptance 4 of issue 16: every quote of the review file (claims, new entities) and every mention's surface form
    lies between tags: it contains no tag and neither starts nor ends inside markup; its offsets are exact."""
    p = paths.project(ROOT)
    ex = review.extract_document(page, review.project_state(p), p)
    text = read_text(page)
    markup = _inside_markup(text)
    items = [(c["quote"], c["offsets"]) for c in ex.claims + ex.new_entities] + [(m["surface"], m["offsets"]) for m in ex.mentions]
    assert items
    for quote, (start, end) in items:
        assert text[start:end] == quote
        assert not re.search(r"<[^>]*>|<|>", quote), quote
        assert not any(a < start < b or a < end < b for a, b in markup), (quote, start, end)


def test_review_file_lists_the_mentions_with_surface_and_offsets(project, tmp_path):
    """The review file shows the reviewer every known entity found, with its surface form and offsets."""
    p, corpus, docs = project
    state = review.project_state(p, corpus)
    ex = review.extract_document(docs / "notes.md", state, p)
    out = review.write_review(ex, tmp_path / "r.yaml", p.root)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    text = (docs / "notes.md").read_text(encoding="utf-8")
    assert data["mentions"] and data["mentions"] == ex.mentions
    for m in data["mentions"]:
        assert text[m["offsets"][0]:m["offsets"][1]] == m["surface"] and m["id"] in state.entities
    reviewfile_items = {e["id"]: e for e in data["new_entities"] or []}
    for e in reviewfile_items.values():  # a new entity comes with the passage that introduces it
        assert text[e["offsets"][0]:e["offsets"][1]] == e["quote"]
