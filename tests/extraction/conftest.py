"""What the extraction tests share: the documents written for them, the entities of an imaginary country,
the real project's entities, and the candidates proposed for both."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from rightsgraph import paths

from ..conftest import ROOT
from rightsgraph.claims import loader as claims
from rightsgraph.extraction.propose import propose
from rightsgraph.sources.reading import Document, clean_text, read

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
RULE = "https://w3id.org/rightsgraph/activity/rule/"


def entity(ident: str, type_: str, label: str, *aliases: str) -> SimpleNamespace:
    return SimpleNamespace(id=ident, type=type_, label=label, aliases=list(aliases))


IMAGINARY = [
    entity("facility/camp-alpha", "PoliticalPrisonCamp", "Camp Alpha"),
    entity("facility/camp-beta", "PoliticalPrisonCamp", "Camp Beta"),
    entity("facility/camp-gamma", "PoliticalPrisonCamp", "Camp Gamma"),
    entity("facility/camp-delta", "PoliticalPrisonCamp", "Camp Delta"),
    entity("facility/camp-epsilon", "PoliticalPrisonCamp", "Camp Epsilon"),
    entity("facility/kwanliso-31", "PoliticalPrisonCamp", "Stonehaven political prison camp", "Kwan-li-so No. 31",
            "Stonehaven"),
    entity("facility/kwanliso-41", "PoliticalPrisonCamp", "Alpha Valley camp", "Kwan-li-so No. 41"),
    entity("facility/kwanliso-42", "PoliticalPrisonCamp", "Beta Hill camp", "Kwan-li-so No. 42"),
    entity("org/lantern-monitor", "NGO", "Lantern Monitor"),
    entity("org/harbor-institute", "NGO", "Harbor Institute"),
    entity("org/coastal-council", "Organization", "Coastal Council"),
    entity("org/valley-rights-network", "NGO", "Valley Rights Network"),
    entity("org/harvest-committee", "Organization", "Harvest committee"),
    entity("org/north-star-commission", "UNBody", "The North Star Commission (NSC)"),
    entity("org/government-of-ostland", "Government", "Government of Ostland", "Ostland"),
    entity("place/ostland", "Country", "Ostland"),
    entity("place/riverton", "City", "Riverton"),
    entity("person/mara-quell", "Person", "Mara Quell"),
    entity("person/tobin-vash", "Person", "Tobin Vash"),
    entity("person/ilse-varga", "Person", "Ilse Varga"),
    entity("group/orchard-believers", "Group", "Orchard Believers"),
    entity("group/fishermen", "Group", "fishermen"),
    entity("event/great-drought", "Famine", "Great Drought"),
    entity("event/harbor-riot", "Riot", "Harbor Riot"),
    entity("document/silent-valleys", "Report", "Silent Valleys"),
    entity("document/harbor-letters", "Report", "Harbor Letters"),
    entity("document/mountain-roads", "Report", "Mountain Roads"),
]
PATTERN_DOCS = ("figures.txt", "people.md", "listing.txt", "violations.txt", "table.txt")


@pytest.fixture(scope="session")
def entities() -> dict:
    """The real project's entities, plus one test organization that is not in the graph."""
    real = dict(claims.load(paths.project(ROOT)).entities)
    real["org/example-watch"] = SimpleNamespace(id="org/example-watch", label="Example Watch", aliases=[], type="NGO")
    return real


@pytest.fixture(scope="session")
def proposed(entities) -> dict[str, list[dict]]:
    """The candidates for three documents written for the tests, with the real project's entities."""
    return {name: propose(read(DOCS / name), entities) for name in ("report.txt", "report.md", "page.html")}


@pytest.fixture(scope="session")
def imaginary() -> dict[str, list[dict]]:
    """The candidates for the documents written for each pattern, with the entities of the imaginary country."""
    return {name: propose(read(DOCS / name), IMAGINARY) for name in PATTERN_DOCS}


def find(cands: list[dict], rule: str, **facts) -> dict:
    """The one candidate of a rule with these facts."""
    hits = [c for c in cands if c["method"] == RULE + rule and all(c["facts"].get(k) == v for k, v in facts.items())]
    assert len(hits) == 1, (rule, facts, cands)
    return hits[0]


def one(cands: list[dict], rule: str, subject: str | None = None) -> dict:
    """The one candidate of a rule (on this subject)."""
    hits = [c for c in cands if c["method"] == RULE + rule and (subject is None or c["subject"] == subject)]
    assert len(hits) == 1, (rule, subject, cands)
    return hits[0]


def doc_of(text: str) -> Document:
    """A document of one text, its clean copy the text itself."""
    return Document(Path("test.txt"), text, clean_text(text), range(len(text)))


def bare(figure: dict) -> dict:
    """A figure without the measure and year that :func:`rightsgraph.extraction.rules.counted_figures.complete` adds
    (the tests of each figure rule check the numbers; those of counted_figures check the measure and year)."""
    return {k: v for k, v in figure.items() if k not in ("measure", "as_of")}


def bare_facts(facts: dict) -> dict:
    """Facts whose figures are :func:`bare`."""
    return {p: bare(v) if isinstance(v, dict) and p.endswith("Count") else v for p, v in facts.items()}
