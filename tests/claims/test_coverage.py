"""The coverage report: units, the boilerplate rule, and shares on a project whose answer is known."""

from __future__ import annotations

import pytest

from rightsgraph.claims import loader as claims
from rightsgraph.claims import coverage
from rightsgraph import paths
from rightsgraph.sources.corpus import Corpus

from ..conftest import run_cli


@pytest.mark.parametrize("line,kind", [
    ("", None),  # blank lines are skipped, not units
    ("== Criminal justice ==", "wiki heading"),
    ("Warning: mysql_query() failed in /home/x/lib.inc.php on line 22", "site error message"),
    ("Skip to main content", "navigation"),
    ("Home > The Founding Document of HRNK", "navigation"),
    ("| English name | Official name | Size | Prisoners |", "table header"),
    ("Dec 31, 1969", "placeholder date"),
    ("Your tax deductible gift can help stop human rights violations.", "donation appeal"),
    ("North Korea Newsroom", "heading, title or menu entry"),
    ("  • Abductions", "heading, title or menu entry"),
])
def test_boilerplate_rules(line, kind):
    found = coverage.units(line + "\n")
    if kind is None:
        assert found == []
    else:
        assert [u.boilerplate for u in found] == [kind]


def test_facts_are_not_boilerplate():
    text = ("| Yodok Political Prison Camp | Kwan-li-so No. 15 | 378 km^{2} | 46,500 |\n"
            "- Kyo-hwa-so No. 3 Sinuiju (c. 2,500 prisoners) in North Pyongan\n"
            "Jun 05, 2014\n"
            "It urged the U.N. General Assembly to act. Then it stopped.\n"
            "  1. The plight of refugees.\n")
    found = coverage.units(text)
    assert [(u.text, u.boilerplate) for u in found] == [
        ("| Yodok Political Prison Camp | Kwan-li-so No. 15 | 378 km^{2} | 46,500 |", None),
        ("- Kyo-hwa-so No. 3 Sinuiju (c. 2,500 prisoners) in North Pyongan", None),
        ("Jun 05, 2014", None),
        ("It urged the U.N. General Assembly to act.", None),
        ("Then it stopped.", None),
        ("1.", "list marker"),
        ("The plight of refugees.", None),
    ]


def test_see_also_entries_are_boilerplate():
    found = coverage.units("==See also==\n- Politics in North Korea, and a long description of the article here.\n")
    assert [u.boilerplate for u in found] == ["wiki heading", "see also"]


def test_offsets_point_at_the_unit_text():
    text = "Title line\n\nFirst fact here. Second fact, with 2 numbers.\n"
    for u in coverage.units(text):
        assert text[u.start:u.end].strip() == u.text


def test_fixture_coverage_and_uncovered_sentence(mini):
    corpus = Corpus(mini / "corpus")
    (result,) = coverage.measure(claims.load(paths.project(mini), corpus), corpus)
    # five factual sentences, all quoted; the PHP line and the title are boilerplate
    assert [u.text for u in result.uncovered] == []
    assert len(result.factual) == 5 and result.share == 1.0
    f = mini / "graph" / "claims" / "report.yaml"
    text = f.read_text(encoding="utf-8")
    start = text.index('    quote: "Former prisoners testify')
    start = text.rindex("  - subject:", 0, start)
    end = text.index("  - subject: person/jane-doe")
    f.write_text(text[:start] + text[end:], encoding="utf-8")
    (result,) = coverage.measure(claims.load(paths.project(mini), corpus), corpus)
    assert [u.text for u in result.uncovered] == ["Former prisoners testify that torture is routine at Camp 99."]
    assert result.share == pytest.approx(4 / 5)
    out = run_cli("--root", str(mini), "coverage", "--corpus", str(mini / "corpus"), "--min-share", "0.9")
    assert out.returncode == 1
    assert "test-camp-report: 4/5 factual sentences covered (80.0%)" in out.stdout
    assert "    line 7: Former prisoners testify that torture is routine at Camp 99." in out.stdout


def test_real_corpus_coverage_at_least_90_percent(corpus_dir):
    out = run_cli("coverage", "--corpus", str(corpus_dir), "--min-share", "0.9", "--no-list")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("factual sentences covered") == 5
