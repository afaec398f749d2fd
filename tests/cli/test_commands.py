"""The command line as a user runs it: real subprocesses, exit codes, messages and output formats."""

from __future__ import annotations

import csv
import io
import json

from ..conftest import copy_project, run_cli


def test_help_explains_every_command():
    out = run_cli("--help")
    assert out.returncode == 0
    for cmd in ("build", "validate", "query", "describe", "export", "push", "stats"):
        assert cmd in out.stdout
        sub = run_cli(cmd, "--help")
        assert sub.returncode == 0 and len(sub.stdout) > 200, cmd


def test_validate_real_data_with_corpus(corpus_dir):
    out = run_cli("validate", "--corpus", str(corpus_dir))
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Valid with the corpus" in out.stderr


def test_changing_one_character_of_a_quote_fails_at_its_line(tmp_path, corpus_dir):
    """Acceptance 2: a copy of the data with one changed character exits 1, naming that claim's file and line."""
    root = copy_project(tmp_path / "copy")
    target = root / "graph" / "claims" / "hrw.yaml"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.lstrip().startswith("quote:") and "Kim Jong Un" in line)
    lines[n] = lines[n].replace("Kim Jong Un", "Kim Jong Um", 1)
    target.write_text("".join(lines), encoding="utf-8")
    out = run_cli("--root", str(root), "validate", "--corpus", str(corpus_dir))
    assert out.returncode == 1
    assert f"graph/claims/hrw.yaml:{n + 1}: quote not found in source 'hrw-world-report-2019-north-korea'" in out.stderr


def test_validate_usage_and_runtime_errors(tmp_path):
    out = run_cli("validate", "--corpus", str(tmp_path / "missing"))
    assert out.returncode == 2 and "does not exist" in out.stderr
    out = run_cli("query", "no-such-query")
    assert out.returncode == 2 and "no named query 'no-such-query'" in out.stderr
    out = run_cli("query", "coi-members", "--store", str(tmp_path / "nostore"))
    assert out.returncode == 3 and "run `rightsgraph build` first" in out.stderr


def test_bad_yaml_exits_1_and_leaves_the_build(mini, corpus_dir):
    assert run_cli("--root", str(mini), "build", "--corpus", str(mini / "corpus")).returncode == 0
    before = (mini / "build" / "exports" / "rightsgraph.nq").read_bytes()
    f = mini / "graph" / "claims" / "report.yaml"
    f.write_text(f.read_text().replace("  - subject: person/jane-doe", "  - subject: [person/jane-doe"), encoding="utf-8")
    out = run_cli("--root", str(mini), "build", "--corpus", str(mini / "corpus"))
    assert out.returncode == 1
    problems = [line for line in out.stderr.splitlines() if not line.startswith("·")]
    assert problems[0].startswith("graph/claims/report.yaml:30: YAML error") and problems[-1] == "1 problem(s) found; nothing was changed."
    assert (mini / "build" / "exports" / "rightsgraph.nq").read_bytes() == before


def test_describe_camp_15_and_yodok(built):
    """Acceptance 6: both names reach the Yodok camp and show its claims with sources and quotes."""
    for name in ("Camp 15", "yodok", "Kwan-li-so No. 15", "kwanliso 15"):
        out = run_cli("describe", name, "--store", str(built.store))
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("Yodok political prison camp  <https://w3id.org/rightsgraph/id/facility/kwanliso-15>")
        assert "prisonerCount: value=46500" in out.stdout
        assert "source: wikipedia-human-rights-in-north-korea" in out.stdout
        assert 'quote:  "Yodok Political Prison Camp | Kwan-li-so No. 15 | 378 km^{2} (146 mi^{2}) | 46,500"' in out.stdout


def test_describe_unknown_and_ambiguous_names(built):
    out = run_cli("describe", "Atlantis", "--store", str(built.store))
    assert out.returncode == 2 and "no entity is called 'Atlantis'" in out.stderr


def test_query_formats(built):
    js = run_cli("query", "camps-with-prisoner-estimates", "--store", str(built.store), "--format", "json")
    doc = json.loads(js.stdout)
    assert doc["head"]["vars"][:2] == ["facility", "label"]
    rows = list(csv.DictReader(io.StringIO(run_cli("query", "camps-with-prisoner-estimates", "--store",
                                                   str(built.store), "--format", "csv").stdout)))
    assert len(rows) == len(doc["results"]["bindings"]) > 0
    tsv = run_cli("query", "camps-with-prisoner-estimates", "--store", str(built.store), "--format", "tsv").stdout
    assert tsv.splitlines()[0].split("\t")[:2] == ["facility", "label"]
    table = run_cli("query", "coi-members", "--store", str(built.store))
    assert "Michael Kirby" in table.stdout


def test_param_is_bound_not_spliced(built):
    """A value full of SPARQL syntax is one literal: it matches nothing and breaks nothing."""
    evil = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
    out = run_cli("query", "claims-by-source", "--store", str(built.store), "--param", f"source={evil}", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines() == ["claim,subject,predicate,object,certainty,quote,start,end,reviewStatus,reviewedBy,reviewedOn"]
    out = run_cli("query", "claims-by-source", "--store", str(built.store), "--param", "nope=1")
    assert out.returncode == 2 and "has no parameter 'nope'" in out.stderr


def test_inline_sparql_and_rq_file(built, tmp_path):
    out = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", str(built.store), "--format", "csv")
    assert out.returncode == 0 and int(out.stdout.splitlines()[1]) > 0
    f = tmp_path / "mine.rq"
    f.write_text("# How many claims?\nSELECT (COUNT(*) AS ?n) WHERE { ?g a <https://w3id.org/rightsgraph/ontology#Claim> }\n")
    out = run_cli("query", str(f), "--store", str(built.store), "--format", "csv")
    assert int(out.stdout.splitlines()[1]) == built.claims


def test_export_to_file_and_stdout(built, tmp_path):
    out = run_cli("export", "--format", "nquads", "--store", str(built.store), "-o", str(tmp_path / "g.nq"))
    assert out.returncode == 0
    assert (tmp_path / "g.nq").read_bytes() == built.exports["nquads"].read_bytes()
    out = run_cli("export", "--format", "turtle", "--store", str(built.store))
    assert out.stdout.startswith("@prefix")


def test_stats(built):
    out = run_cli("stats", "--store", str(built.store), "--format", "csv")
    assert out.returncode == 0
    assert "wikipedia-human-rights-in-north-korea" in out.stdout and "PoliticalPrisonCamp" in out.stdout


def test_list_named_queries():
    out = run_cli("query", "--list")
    assert "camps-with-prisoner-estimates" in out.stdout and "claims-by-source [--param source=...]" in out.stdout
