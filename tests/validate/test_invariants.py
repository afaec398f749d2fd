"""Building from a dump: the real graph round-trips, and every broken provenance is named with its line."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from rightsgraph import paths
from rightsgraph.store import build
from rightsgraph.outputs import describe as entities
from rightsgraph.outputs import exports
from rightsgraph.store import labels as search
from rightsgraph.store import embedded as store
from rightsgraph.validate import invariants
from rightsgraph.errors import DataError
from rightsgraph.namespaces import PROVENANCE_GRAPH

from ..conftest import ROOT, run_cli

PROV = f"<{PROVENANCE_GRAPH}>"


@pytest.fixture(scope="module")
def dump_lines(built) -> list[str]:
    return built.exports["nquads"].read_text(encoding="utf-8").splitlines()


def some_claim(lines: list[str]) -> str:
    """A claim graph IRI of the dump (the graph of its last fact line)."""
    return next(line.rsplit(" ", 2)[-2][1:-1] for line in reversed(lines) if PROV not in line)


def test_the_real_graph_round_trips_through_a_dump(built, tmp_path):
    report = build.load_dump(built.exports["nquads"], tmp_path / "store", tmp_path / "exports", paths=paths.project(ROOT))
    assert report.quads == built.quads and report.claims == built.claims
    assert set(report.exports) == set(exports.FORMATS)  # every format of the one registry, nanopub included
    loaded = store.open(tmp_path / "store")
    assert len(loaded) == len(store.open(built.store))
    assert (tmp_path / "store" / search.INDEX_FILE).exists()
    assert [m.label for m in entities.find(loaded, "kwanliso 15", paths.project(ROOT))] == ["Yodok political prison camp"]


def test_the_real_store_keeps_every_invariant(real_store):
    claims, problems = invariants.check_claim_provenance(real_store)
    assert problems == [] and claims > 1500


def _broken(lines: list[str], tmp_path, change) -> tuple:
    bad = tmp_path / "bad.nq"
    bad.write_text("\n".join(change(list(lines))) + "\n", encoding="utf-8")
    return bad


def _drop(pred: str, claim: str):
    return lambda lines: [ln for ln in lines if not (ln.startswith(f"<{claim}> <{pred}>") and PROV in ln)]


def _swap_certainty(claim: str):
    def change(lines):
        certainty = f"<{claim}> <https://w3id.org/rightsgraph/ontology#certainty> "
        return [certainty + f"<https://w3id.org/rightsgraph/ontology#Rumoured> {PROV} ." if ln.startswith(certainty)
                else ln for ln in lines]
    return change


def _second_source(claim: str):
    def change(lines):
        extra = [ln.replace("/source/", "/source/other-") for ln in lines
                 if ln.startswith(f"<{claim}> <http://www.w3.org/ns/prov#wasDerivedFrom>")]
        return lines + extra
    return change


def _reversed_offsets(claim: str):
    def change(lines):
        out = []
        for ln in lines:
            if ln.startswith(f"<{claim}#position> <http://www.w3.org/ns/oa#end>"):
                ln = ln.split('"', 2)[0] + '"0"^^<http://www.w3.org/2001/XMLSchema#integer>' + ln.rsplit(">", 2)[-2] + "> ."
            out.append(ln)
        return out
    return change


def _orphan_fact(lines):
    return lines + ['<https://w3id.org/rightsgraph/id/person/nobody> <http://www.w3.org/2000/01/rdf-schema#label> '
                    '"Nobody"@en <https://w3id.org/rightsgraph/claim/unsourced/1> .']


def _undeclared_method(claim: str):
    def change(lines):
        return [ln.replace("/activity/curation>", "/activity/guesswork>") if ln.startswith(f"<{claim}> ") else ln
                for ln in lines]
    return change


CASES = {
    "no description": (lambda c: _drop("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", c),
                       "a named graph with no description in the provenance graph"),
    "no certainty": (_swap_certainty, "has one certainty"),
    "two sources": (_second_source, "is derived from exactly one source"),
    "reversed offsets": (_reversed_offsets, "offsets are not integers with start < end"),
    "orphan fact": (lambda c: _orphan_fact, "claim/unsourced/1>: a named graph with no description"),
    "undeclared method": (_undeclared_method, "not declared as a activity"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_provenance_is_refused_with_its_line_and_the_old_store_kept(case, dump_lines, built, tmp_path):
    make, message = CASES[case]
    claim = some_claim(dump_lines)
    bad = _broken(dump_lines, tmp_path, make(claim))
    target = tmp_path / "store"
    build.load_dump(built.exports["nquads"], target)  # a good store in place first
    before = len(store.open(target))
    with pytest.raises(DataError) as caught:
        build.load_dump(bad, target)
    text = "\n".join(map(str, caught.value.problems))
    assert message in text
    assert f"{bad}:" in text and all(p.line > 0 for p in caught.value.problems if str(p).count("<"))
    assert len(store.open(target)) == before
    assert not list(tmp_path.glob(".staging-*"))


def test_syntax_errors_name_the_line(tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text('<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> "open <urn:g> .\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        build.load_dump(bad, tmp_path / "store")
    assert str(caught.value).startswith(f"{bad}:2: not valid N-QUADS")
    assert not (tmp_path / "store").exists()


def test_the_cli_builds_from_a_dump_and_refuses_an_unknown_format(built, tmp_path):
    out = run_cli("build", "--from", str(built.exports["nquads"]), "--store", str(tmp_path / "s"), "--no-exports")
    assert out.returncode == 0, out.stderr
    assert f"Built {built.quads} quads" in out.stderr
    assert len(ox.Store.read_only(str(tmp_path / "s"))) == built.quads
    wrong = tmp_path / "graph.csv"
    wrong.write_text("a,b\n")
    out = run_cli("build", "--from", str(wrong), "--store", str(tmp_path / "s2"))
    assert out.returncode == 1 and "must end in .nq, .nquads, .trig" in out.stderr


def test_the_label_index_from_the_dump_equals_the_one_from_the_store(built, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from_file = search.LabelIndex.load(search.write_from_nquads(built.exports["nquads"], tmp_path / "a"))
    from_store = search.LabelIndex.load(search.write(store.open(built.store), tmp_path / "b"))
    assert from_file.labels == from_store.labels and len(from_file.labels) > 400
    assert sorted(from_file.exact) == sorted(from_store.exact)
    assert {k: sorted(v) for k, v in from_file.exact.items()} == {k: sorted(v) for k, v in from_store.exact.items()}
    empty = tmp_path / "empty.nq"
    empty.write_bytes(b"")
    assert len(search.LabelIndex.load(search.write_from_nquads(empty, tmp_path / "a"))) == 0


# --------------------------------------------------------------------------------------------
# The invariant files themselves
# --------------------------------------------------------------------------------------------

from importlib import resources  # noqa: E402


def _files(sub: str = "") -> set[str]:
    folder = resources.files("rightsgraph.validate").joinpath("invariants", *([sub] if sub else []))
    return {p.name[:-3] for p in folder.iterdir() if p.name.endswith(".rq")}


def test_every_per_claim_rule_has_a_file_that_says_it_and_a_lookup_of_its_faults():
    assert set(invariants.PER_CLAIM) <= _files()
    for name in invariants.PER_CLAIM:
        assert invariants.rule(name).startswith("Every claim graph "), name
        if name != "claim":  # the count of claims is what the others are measured by
            assert name in _files("faults"), name


def test_every_invariant_file_is_used_and_parses_against_a_store():
    empty = ox.Store()
    used = set(invariants.PER_CLAIM) | {"named-graphs", "graphs-or-claims", "empty-quote", "offsets", "uses"}
    assert _files() == used
    for name in sorted(_files()) + [f"faults/{n}" for n in sorted(_files("faults"))]:
        text = invariants.text(name)
        assert text.startswith("# ") and not text.startswith("# @"), f"{name}: the first line says the rule"
        assert "PREFIX" not in text, f"{name}: the prologue comes from namespaces.sparql_prologue()"
        empty.query(invariants.query(name))  # parses, with the one prologue


def test_an_empty_store_has_no_claims_and_nothing_wrong():
    assert invariants.check_claim_provenance(ox.Store()) == (0, [])


def test_the_invariant_files_ship_with_the_package():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["rightsgraph.validate"]
    assert {"invariants/*.rq", "invariants/faults/*.rq"} <= set(shipped)
