"""graph/anchors.tsv: the offsets of every quote, written only when they change, and used without the corpus."""

from __future__ import annotations

from rightsgraph.claims.anchors import apply_anchors, quote_digest, read_anchors, write_anchors
from rightsgraph.claims.records import Claim, Evidence, Origin


def _claim(quote: str) -> Claim:
    return Claim(key="k1", source="s1", subject="person/x", facts=[], evidence=Evidence("s1", quote),
                 origin=Origin("graph/claims/x.yaml", 4))


def test_anchors_round_trip_and_an_unchanged_file_is_not_rewritten(tmp_path):
    path = tmp_path / "anchors.tsv"
    anchors = {"https://w3id.org/rightsgraph/claim/s1/k1": (10, 17, quote_digest("a quote"))}
    assert write_anchors(path, anchors) is True
    assert read_anchors(path) == anchors
    before = path.stat().st_mtime_ns
    assert write_anchors(path, anchors) is False and path.stat().st_mtime_ns == before
    assert read_anchors(tmp_path / "missing.tsv") == {}


def test_recorded_offsets_are_applied_and_a_changed_quote_is_reported(tmp_path):
    claim = _claim("a quote")
    problems: list = []
    apply_anchors([claim], {str(claim.iri): (10, 17, quote_digest("a quote"))}, problems)
    assert (claim.evidence.start, claim.evidence.end, problems) == (10, 17, [])
    other = _claim("a changed quote")
    apply_anchors([other], {str(other.iri): (10, 17, quote_digest("a quote"))}, problems)
    assert len(problems) == 1 and problems[0].file == "graph/claims/x.yaml"
