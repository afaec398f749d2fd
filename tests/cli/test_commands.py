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


def test_describe_as_json_csv_and_tsv(built):
    """describe --format json writes SPARQL 1.1 JSON results (it crashed: "cannot write 'in' as a query result");
    csv and tsv give the same rows."""
    out = run_cli("describe", "Camp 15", "--store", str(built.store), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["head"]["vars"] == ["direction", "predicate", "value", "detail", "certainty", "source", "quote", "claim"]
    bindings = doc["results"]["bindings"]
    assert {b["direction"]["value"] for b in bindings} >= {"out", "in"}
    assert all(b["claim"]["type"] == "uri" and b["direction"]["type"] == "literal" for b in bindings)
    figure = [b for b in bindings if b["predicate"]["value"] == "prisonerCount" and b["detail"]["value"] == "value=46500"]
    assert figure and figure[0]["source"]["value"] == "wikipedia-human-rights-in-north-korea"
    table = run_cli("describe", "Camp 15", "--store", str(built.store), "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert len(list(csv.reader(io.StringIO(table.stdout)))) == len(bindings) + 1


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


# -- the first hour's stumbles (issue 15): each reproduced, terminal width fixed at 100 columns ---------------

WIDE = {"COLUMNS": "100"}


def test_a_table_shows_labels_folds_at_word_boundaries_and_fits_100_columns(built):
    out = run_cli("query", "camps-with-prisoner-estimates", "--store", str(built.store), env=WIDE)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "https://w3id.org/" not in out.stdout and "Yodok political prison camp" in " ".join(
        line.split("│")[1].strip() for line in lines if line.startswith("│"))  # labels, not IRIs
    # every word of a quote cell is a whole word: folding happens at spaces (ids may fold, quotes may not)
    full = run_cli("query", "camps-with-prisoner-estimates", "--store", str(built.store), "--format", "csv")
    words = {w for row in csv.DictReader(io.StringIO(full.stdout)) for w in row["quote"].split()}
    header = [c.strip() for c in next(line for line in lines if line.startswith("┃") and "label" in line).strip("┃").split("┃")]
    q = header.index("quote")
    cells = [line.strip("│").split("│")[q].split() for line in lines if line.startswith("│")]
    assert cells and all(w in words for cell in cells for w in cell)
    # the IRIs stay in full with --format
    assert "https://w3id.org/rightsgraph/id/facility/kwanliso-15" in full.stdout


def test_describe_types_aliases_misspellings_and_ambiguity(built):
    out = run_cli("describe", "Camp 15", "--store", str(built.store))
    type_line = next(line for line in out.stdout.splitlines() if line.startswith("  type:"))
    assert ":" not in type_line.split("type:", 1)[1]  # one kind of name: the project's classes, no prefixes
    shown = [a for line in out.stdout.splitlines() if line.startswith("  altLabel:")
             for a in line.split(":", 1)[1].split(";")]
    assert len(shown) == len(set(shown)) and " Kwan-li-so No. 15" in shown  # each alias once
    miss = run_cli("describe", "Yodock", "--store", str(built.store))
    assert miss.returncode == 2 and "did you mean 'Yodok'" in miss.stderr
    many = run_cli("describe", "camp", "--store", str(built.store))
    assert many.returncode == 2 and "  Bukchang political prison camp  (facility/kwanliso-18)" in many.stderr.splitlines()
    assert max(len(line) for line in many.stderr.splitlines()) < 120 and "more" in many.stderr
    assert "did you mean coi-members" in run_cli("query", "coi-membrs", "--store", str(built.store)).stderr
    types = run_cli("viz", "--types", "PoliticalPrisonCmp", "-o", "/dev/null.html", "--store", str(built.store))
    assert types.returncode == 2 and "did you mean PoliticalPrisonCamp" in types.stderr


def test_no_silent_nothing_defaults_are_said_and_empty_matches_warned(built, tmp_path):
    default = run_cli("query", "claims-by-source", "--store", str(built.store), "--format", "csv")
    assert "source = nkhr-the-situation (the default" in default.stderr
    none = run_cli("query", "claims-by-source", "--param", "source=nosuch", "--store", str(built.store))
    assert none.returncode == 0 and "Warning: no rows for source=nosuch" in none.stderr
    viz = run_cli("viz", "--source", "nosuch", "-o", str(tmp_path / "v.html"), "--store", str(built.store))
    assert "0 nodes" in viz.stderr and "Warning: nothing matched --source nosuch" in viz.stderr


def test_a_misspelt_source_id_gets_a_did_you_mean(built, tmp_path):
    store = ["--store", str(built.store)]
    real = "hrw-world-report-2019-north-korea"
    assert real in run_cli("query", "stats-claims-per-source", "--format", "csv", *store).stdout
    rows = run_cli("query", "claims-by-source", "--param", "source=hrw-world-report-2019-nort-korea", *store)
    assert rows.returncode == 0 and f"did you mean {real}?" in rows.stderr
    viz = run_cli("viz", "--source", "hrw-wrld-report-2019-north-korea", "-o", str(tmp_path / "v.html"), *store)
    assert viz.returncode == 0 and f"did you mean {real}?" in viz.stderr
    far = run_cli("query", "claims-by-source", "--param", "source=nosuch", *store)
    assert "did you mean" not in far.stderr  # nothing close: no guess


def test_output_suffixes_are_honoured_or_refused(built, tmp_path):
    store = ["--store", str(built.store)]
    svg = run_cli("viz", "-o", str(tmp_path / "y.svg"), *store)
    assert svg.returncode == 2 and "not .svg" in svg.stderr and not (tmp_path / "y.svg").exists()
    t = run_cli("timeline", "-o", str(tmp_path / "t.svg"), *store)
    assert t.returncode == 0 and (tmp_path / "t.svg").read_text().lstrip().startswith("<?xml")
    assert run_cli("timeline", "-o", str(tmp_path / "t.txt"), *store).returncode == 2
    ttl = run_cli("export", "-o", str(tmp_path / "x.ttl"), *store)
    assert ttl.returncode == 0 and "@prefix" in (tmp_path / "x.ttl").read_text()
    jsonld = run_cli("export", "-o", str(tmp_path / "x.jsonld"), *store)
    assert jsonld.returncode == 0 and json.loads((tmp_path / "x.jsonld").read_text())
    clash = run_cli("export", "--format", "trig", "-o", str(tmp_path / "y.ttl"), *store)
    assert clash.returncode == 2 and "ends in .ttl" in clash.stderr


def test_inline_sparql_has_the_prefixes_plain_errors_and_all_four_forms(built):
    store = ["--store", str(built.store)]
    out = run_cli("query", "SELECT ?n WHERE { ?c a rg:PoliticalPrisonCamp ; rdfs:label ?n } LIMIT 1", *store,
                  "--format", "csv")
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 2, out.stderr
    bad = run_cli("query", "SELECT ?s WHERE { ?s foo:p ?o }", *store)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "unknown prefix foo:" in bad.stderr
    broken = run_cli("query", "SELECT ?s WHERE { ?s ?p ?o LIMIT 2", *store)
    assert broken.returncode == 2 and len(broken.stderr.strip().splitlines()) == 1 and "\\u{" not in broken.stderr
    assert run_cli("query", "ASK { ?s a rg:Claim }", *store).stdout.strip() == "true"
    assert json.loads(run_cli("query", "ASK { ?s a rg:Nothing }", *store, "--format", "json").stdout) == \
        {"head": {}, "boolean": False}
    built_graph = run_cli("query", "CONSTRUCT { ?c rdfs:label ?n } WHERE { ?c a rg:PoliticalPrisonCamp ; rdfs:label ?n }",
                          *store)
    assert built_graph.returncode == 0 and "rdfs:label" in built_graph.stdout
    nt = run_cli("query", "DESCRIBE <https://w3id.org/rightsgraph/id/facility/kwanliso-15>", *store, "--format", "ntriples")
    assert nt.returncode == 0 and nt.stdout.startswith("<https://w3id.org/rightsgraph/id/facility/kwanliso-15>")


def test_a_build_without_a_corpus_says_the_quotes_were_not_checked(tmp_path):
    from rightsgraph.cli.init import create

    project = tmp_path / "p"
    create(project)
    (project / "rightsgraph.toml").write_text("[paths]\n", encoding="utf-8")  # no corpus named
    out = run_cli("--root", str(project), "build", env={"RIGHTSGRAPH_CORPUS": None})
    assert out.returncode == 0, out.stderr
    assert "the quotes were not checked against the source texts" in out.stderr
    withc = run_cli("--root", str(project), "build", "--corpus", str(project / "corpus"))
    assert "not checked" not in withc.stderr
