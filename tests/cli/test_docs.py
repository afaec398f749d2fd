"""The README's command-line reference is the current --help, and it names the two commands."""

from rightsgraph.cli import docs

from ..conftest import ROOT


def test_readme_cli_reference_is_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text == docs.readme_with_reference(text), "run `python -m rightsgraph.cli.docs` to regenerate the README reference"


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_authoring_reference_covers_every_claim_field():
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    for field in ("subject", "quote", "facts", "certainty", "according_to", "attribution", "as_of",
                  "occurrence", "access", "note", "id"):
        assert f"| `{field}` |" in text, field
