"""A release diff lists exactly the claims added, retracted and changed, by claim and trusty URI."""

from __future__ import annotations

import shutil

import pytest

from rightsgraph import paths
from rightsgraph.errors import DataError
from rightsgraph.release import diff
from rightsgraph.sources.corpus import Corpus
from rightsgraph.store import build

ADDED = '''
  - subject: facility/camp-99
    quote: "Camp 99, also called Kwan-li-so No. 99, lies in Test Province."
    facts:
      facilityNumber: 99
'''


def _claim_of(store_folder, quote_start: str) -> str:
    from rightsgraph.store import embedded

    st = embedded.open(store_folder)
    for q in st.quads_for_pattern(None, None, None, None):
        if q.predicate.value.endswith("#exact") and q.object.value.startswith(quote_start):
            return q.subject.value.split("#")[0]
    raise AssertionError(quote_start)


@pytest.fixture
def two_releases(mini, tmp_path):
    """The mini project's public release, then the same after one claim added, one retracted, one changed."""
    p = paths.project(mini)
    build.build(p, Corpus(mini / "corpus"))
    old = tmp_path / "old"
    shutil.copytree(p.releases / "public", old)
    claims = mini / "graph" / "claims" / "report.yaml"
    text = claims.read_text(encoding="utf-8")
    torture = text.index("  - subject: facility/camp-99\n    quote: \"Former prisoners")
    end = text.index("  - subject: person/jane-doe")
    text = text[:torture] + text[end:]  # retract the torture claim
    assert "    certainty: estimated\n" in text
    text = text.replace("    certainty: estimated\n", "    certainty: reported\n")  # change the 20,000 claim
    claims.write_text(text + ADDED, encoding="utf-8")  # add a claim
    build.build(p, Corpus(mini / "corpus"))
    return p, old, p.releases / "public"


def test_the_diff_of_two_release_folders_lists_exactly_the_three_claims(two_releases):
    p, old, new = two_releases
    d = diff.diff(old, new, p)
    retracted = _claim_of(old / "store", "Former prisoners testify")
    changed = _claim_of(new / "store", "It holds an estimated 20,000")
    assert [c for c, _ in d.retracted] == [retracted]
    assert [c for c, _, _ in d.changed] == [changed]
    (added, uri), = d.added
    assert added not in diff.claims(old, p) and uri.startswith("https://w3id.org/rightsgraph/np/RA")
    assert d.unchanged >= 5 and len(d.lines()) == 3
    assert diff.diff(old, old, p).lines() == []


def test_the_diff_of_their_nanopub_exports_is_the_same(two_releases):
    p, old, new = two_releases
    files = diff.diff(old / "exports" / "rightsgraph.np.trig", new / "exports" / "rightsgraph.np.trig", p)
    folders = diff.diff(old, new, p)
    assert files.lines() == folders.lines() and files.unchanged == folders.unchanged


def test_a_forged_export_is_refused_rather_than_reported_as_a_change(two_releases, tmp_path):
    p, old, _ = two_releases
    text = (old / "exports" / "rightsgraph.np.trig").read_text(encoding="utf-8")
    forged = tmp_path / "forged.np.trig"
    forged.write_text(text.replace("20,000 prisoners", "2,000 prisoners"), encoding="utf-8")
    with pytest.raises(DataError, match="provenance changed"):
        diff.diff(old, forged, p)
