"""Every claim of the public release as a nanopublication: checked by an implementation we did not write
(nanopub-sign, the Python bindings of the Rust nanopub library), and by our own check, which names the part
that changed."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from nanopub_sign import Nanopub as Independent

from rightsgraph import paths
from rightsgraph.namespaces import CLAIM
from rightsgraph.outputs import nanopub

from ..conftest import ROOT

P = paths.project(ROOT)


@pytest.fixture(scope="module")
def exported(built):
    """The nanopublications of the built public release's export file."""
    found, stray = nanopub.load(str(built.exports["nanopub"]))
    assert not stray
    return found


def _independent(np_: nanopub.Nanopub) -> str:
    """The trusty hash nanopub-sign finds valid for ``np_`` (it raises when the hash does not match)."""
    return Independent(np_.trig().decode("utf-8")).check().info()["trusty_hash"]


def test_every_claim_of_the_release_is_one_nanopublication(exported, real_store):
    claims = {g.value for g in real_store.named_graphs() if g.value.startswith(str(CLAIM))}
    assert {np_.claim for np_ in exported} == claims
    assert len({np_.iri for np_ in exported}) == len(exported) > 1500


def test_every_exported_nanopublication_verifies_with_nanopub_sign(exported, capsys):
    started = time.perf_counter()
    for np_ in exported:
        # check() also accepts a nanopublication without a trusty URI: the hash it found must be ours
        assert _independent(np_) == np_.iri.rsplit("/", 1)[1], np_.claim
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nnanopub-sign verified {len(exported)} nanopublications in {seconds:.1f} s")


def test_our_check_passes_every_exported_nanopublication(exported):
    assert all(nanopub.check(np_).ok for np_ in exported)


def _with_quote_changed(np_: nanopub.Nanopub) -> nanopub.Nanopub:
    exact = "http://www.w3.org/ns/oa#exact"
    quads = list(np_.quads)
    i = next(i for i, q in enumerate(quads) if q.predicate.value == exact)
    q = quads[i]
    text = q.object.value
    changed = text[:-1] + ("," if text[-1] != "," else ";")
    quads[i] = ox.Quad(q.subject, q.predicate, ox.Literal(changed), q.graph_name)
    return nanopub.Nanopub(np_.iri, quads, np_.claim, np_.graphs)


def test_one_character_of_one_quote_changed_fails_both_checks_and_ours_names_the_provenance(exported):
    np_ = next(n for n in exported if any(q.predicate.value.endswith("#exact") for q in n.quads))
    forged = _with_quote_changed(np_)
    with pytest.raises(Exception, match="hash"):
        _independent(forged)
    verdict = nanopub.check(forged)
    assert not verdict.ok and verdict.part == "provenance"


def test_a_changed_fact_is_named_as_the_assertion_and_a_changed_review_as_the_pubinfo(exported):
    np_ = exported[0]
    quads = list(np_.quads)
    a = next(i for i, q in enumerate(quads) if q.graph_name.value == np_.graphs["assertion"])
    q = quads[a]
    quads[a] = ox.Quad(q.subject, q.predicate, ox.NamedNode("https://w3id.org/rightsgraph/id/place/elsewhere"),
                       q.graph_name)
    assert nanopub.check(nanopub.Nanopub(np_.iri, quads, np_.claim, np_.graphs)).part == "assertion"
    quads = [q for q in np_.quads if not q.predicate.value.endswith("#reviewedBy")]
    assert len(quads) == len(np_.quads) - 1
    assert nanopub.check(nanopub.Nanopub(np_.iri, quads, np_.claim, np_.graphs)).part == "pubinfo"


def test_a_claims_trusty_uri_is_the_one_in_the_export(exported, real_store):
    some = exported[::400]
    maker = nanopub.Maker(real_store, P)
    for np_ in some:
        assert maker.make(np_.claim).iri == np_.iri
    assert nanopub.trusty_uri(real_store, some[0].claim, P) == some[0].iri


def test_the_nanopublication_names_its_claim_release_licence_and_review(exported):
    np_ = exported[0]
    info = {(q.subject.value, q.predicate.value, q.object.value) for q in np_.part("pubinfo")}
    dct = "http://purl.org/dc/terms/"
    assert (np_.iri, dct + "isVersionOf", np_.claim) in info
    assert (np_.iri, dct + "isPartOf", "https://w3id.org/rightsgraph/release/public") in info
    assert any(p == dct + "rights" for _, p, _ in info)
    assert any(p.endswith("#reviewStatus") for _, p, _ in info)
    prov = {q.predicate.value for q in np_.part("provenance")}
    assert {"http://www.w3.org/ns/oa#exact", "http://www.w3.org/ns/prov#wasDerivedFrom",
            "https://w3id.org/rightsgraph/ontology#certainty"} <= prov
