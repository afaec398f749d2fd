"""docs/cli.md is the current --help; the README names the two commands, stays short and points at docs/."""

from rightsgraph.cli import docs

from ..conftest import ROOT


def test_the_cli_reference_is_current():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == docs.readme_with_reference(text), "run `python -m rightsgraph.cli.docs docs/cli.md` to regenerate it"


def test_the_readme_is_what_a_newcomer_needs_and_the_reference_lives_in_docs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 250
    for doc in ("docs/cli.md", "docs/benchmark.md", "docs/authoring.md", "docs/extraction.md"):
        assert doc in text and (ROOT / doc).exists(), doc


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_authoring_reference_covers_every_claim_field():
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for field in ("subject", "quote", "facts", "certainty", "according_to", "attribution", "as_of",
                  "occurrence", "access", "note", "id", "reviewed"):
        assert f"| `{field}` |" in text, field


def test_authoring_reference_covers_every_figure_field_and_measure():
    from rightsgraph.claims import reader as claims
    from rightsgraph.model import ontology

    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for field in claims.FIGURE_FIELDS:
        assert f"`{field}`" in text, field
    for key in ("measure", "as_of", "dated_by", "undated"):
        assert f"| `{key}` |" in text, key
    for measure in ontology.load(ROOT / "ontology" / "rightsgraph.ttl").measures:
        assert f"`{measure}`" in text, measure
