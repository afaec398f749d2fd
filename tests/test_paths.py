"""A project is found by its rightsgraph.toml, as git finds its repository; nothing guesses one."""

from __future__ import annotations

import pytest

from rightsgraph import paths
from rightsgraph.errors import UsageError


def test_a_project_is_found_from_any_folder_below_it(tmp_path):
    (tmp_path / "p" / "graph" / "claims").mkdir(parents=True)
    (tmp_path / "p" / "rightsgraph.toml").write_text("[paths]\ncorpus = \"../texts\"\n")
    found = paths.find(tmp_path / "p" / "graph" / "claims")
    assert found is not None and found.root == (tmp_path / "p").resolve()
    assert found.corpus == (tmp_path / "texts").resolve()
    assert paths.find(tmp_path) is None


def test_the_marker_may_move_folders_and_a_bad_marker_says_what_is_wrong(tmp_path):
    (tmp_path / "rightsgraph.toml").write_text("[paths]\ngraph = \"data\"\nbuild = \"out\"\n")
    p = paths.project(tmp_path)
    assert (p.graph, p.store, p.queries.own) == (tmp_path / "data", tmp_path / "out" / "store", tmp_path / "queries")
    (tmp_path / "rightsgraph.toml").write_text("[paths]\ngrafh = \"data\"\n")
    with pytest.raises(UsageError, match="unknown key.*grafh"):
        paths.project(tmp_path)
    (tmp_path / "rightsgraph.toml").write_text("[paths\n")
    with pytest.raises(UsageError, match="not a valid rightsgraph.toml"):
        paths.project(tmp_path)


def test_discovery_takes_the_environment_first_and_says_how_to_fix_a_miss(tmp_path, monkeypatch):
    monkeypatch.delenv("RIGHTSGRAPH_ROOT", raising=False)
    with pytest.raises(UsageError, match="not inside a rightsgraph project.*rightsgraph init DIR"):
        paths.discover(tmp_path)
    monkeypatch.setenv("RIGHTSGRAPH_ROOT", str(tmp_path))
    assert paths.discover("/").root == tmp_path.resolve()


def test_the_corpus_comes_from_the_option_then_the_environment_then_the_marker(tmp_path, monkeypatch):
    monkeypatch.delenv("RIGHTSGRAPH_CORPUS", raising=False)
    p = paths.Paths(tmp_path, corpus_dir="texts")
    assert paths.corpus_dir(None, p) is None  # a clone without the texts builds from the recorded offsets
    (tmp_path / "texts").mkdir()
    assert paths.corpus_dir(None, p) == (tmp_path / "texts").resolve()
    assert paths.corpus_dir(None, None) is None
    monkeypatch.setenv("RIGHTSGRAPH_CORPUS", str(tmp_path / "env"))
    assert paths.corpus_dir(None, p) == (tmp_path / "env").resolve()
    assert paths.corpus_dir(tmp_path / "opt", p) == (tmp_path / "opt").resolve()


def test_a_project_without_its_own_ontology_or_queries_uses_the_shipped_ones(tmp_path):
    (tmp_path / "rightsgraph.toml").write_text("[project]\nname = \"x\"\n")
    p = paths.project(tmp_path)
    assert p.ontology == paths.SHIPPED / "ontology" and (p.ontology / "shapes.ttl").is_file()
    shipped = {f.name for f in (paths.SHIPPED / "queries").glob("*.rq")}
    assert {f.name for f in p.queries.glob("*.rq")} == shipped and "coi-members.rq" in shipped
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "rightsgraph.ttl").write_text("")
    assert paths.project(tmp_path).ontology == tmp_path / "ontology"


def test_the_teams_own_queries_add_to_and_replace_the_shipped_ones(tmp_path):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "ours.rq").write_text("# Ours?\nASK {}\n")
    (tmp_path / "queries" / "coi-members.rq").write_text("# Replaced?\nASK {}\n")
    q = paths.project(tmp_path).queries
    names = {f.name: f for f in q.glob("*.rq")}
    assert names["ours.rq"].parent == tmp_path / "queries"
    assert names["coi-members.rq"] == q / "coi-members.rq" == tmp_path / "queries" / "coi-members.rq"
    assert q / "stats-totals.rq" == paths.SHIPPED / "queries" / "stats-totals.rq"
