"""Claims as authored: everything under ``graph/`` read, checked, and anchored in the corpus.

Loading collects all problems before it fails, so one run shows everything a curator has to fix.
"""

from __future__ import annotations

from typing import Any

from rightsgraph.claims.anchors import ANCHORS_FILE, anchor, apply_anchors, quote_digest, read_anchors
from rightsgraph.claims import homonyms
from rightsgraph.claims.extracted import external_sources, load_candidates
from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.reader import Reader
from rightsgraph.claims.records import Claim, Collection, Entity
from rightsgraph.errors import DataError, Problem
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.paths import Paths
from rightsgraph.sources.corpus import Corpus


def _distinguish(claims: list[Claim], problems: list[Problem]) -> None:
    """Give distinct keys to claims of one source that state the same facts from different passages.

    Such claims are extra evidence, not duplicates; each key then also carries a digest of its
    quote. Claims that repeat the same facts with the same quote are reported.
    """
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        groups.setdefault(str(c.iri), []).append(c)
    for group in groups.values():
        if len(group) == 1:
            continue
        quotes: dict[tuple[str, int], Claim] = {}
        for c in group:
            q = (c.evidence.quote, c.evidence.occurrence)
            if q in quotes:
                other = quotes[q]
                problems.append(c.origin.problem(
                    f"duplicate claim: same subject, facts and quote as {other.origin.file}:{other.origin.line}"))
                continue
            quotes[q] = c
            c.former_key = c.key
            c.key = f"{c.key}-{quote_digest(c.evidence.quote)[:6]}" + (f"-{c.evidence.occurrence}" if c.evidence.occurrence > 1 else "")


def _entity_claims(entities: dict[str, Entity]) -> list[Claim]:
    """The claim that records each entity's type, label and aliases, from the passage that names it."""
    out = []
    for e in entities.values():
        out.append(Claim(key=f"entity-{e.kind}-{e.id.split('/', 1)[1]}", source=e.evidence.source,
                         subject=e.id, facts=[], evidence=e.evidence, origin=e.origin, entity=e,
                         activity=e.activity, confidence=e.confidence, reviewed_by=e.reviewed_by,
                         reviewed_on=e.reviewed_on, access=e.access))
    return out


def load(paths: Paths, corpus: Corpus | None = None, onto: ontology_mod.Ontology | None = None,
         candidates: Any = None) -> Collection:
    """Read and check everything under ``graph/``, and anchor every quote.

    With a corpus, quotes are found in their sources and the offsets recorded in
    ``graph/anchors.tsv``; without one, the recorded offsets are used. A source whose text is not in
    the corpus is read from its record's ``path`` (relative to the project root). ``candidates``
    (a :class:`rightsgraph.claims.extracted.Candidates`) adds the items of review files, with their own offsets.
    Raises DataError listing every problem found.
    """
    onto = onto or ontology_mod.load(paths.ontology / "rightsgraph.ttl")
    reader = Reader(paths, onto)
    sources = reader.sources()
    entities = reader.entities(sources)
    claims = reader.claims(sources, entities)
    if candidates is not None:
        claims += load_candidates(reader, sources, entities, claims, candidates, corpus)
    problems = reader.problems
    declared = homonyms.read(paths.graph / homonyms.HOMONYMS_FILE, reader.rel(paths.graph / homonyms.HOMONYMS_FILE), problems)
    homonyms.check(entities, declared, problems)
    for s in sources.values():
        if s.publisher_entity and s.publisher_entity not in entities:
            problems.append(s.origin.problem(f"unknown entity {s.publisher_entity!r} (publisher_entity)"))
    all_claims = _entity_claims(entities) + claims
    _distinguish(all_claims, problems)
    anchors_path = paths.graph / ANCHORS_FILE
    anchors = read_anchors(anchors_path)
    unanchored = [c for c in all_claims if c.evidence.start is None]  # candidates come with their offsets
    if corpus is not None:
        external, texts, ext_problems = external_sources(paths, sources, corpus)
        problems.extend(ext_problems)
        problems.extend(corpus.check_source_files({k: s for k, s in sources.items() if k not in external}))
        anchors = anchor([c for c in unanchored if c.evidence.source not in external or c.evidence.source in texts.files],
                         sources, corpus, problems, texts)
    else:
        apply_anchors(unanchored, anchors, problems)
    if problems:
        raise DataError(problems)
    collection = Collection(sources=sources, entities=entities, claims=all_claims, anchors=anchors)
    return collection
