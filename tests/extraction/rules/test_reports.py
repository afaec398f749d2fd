"""Reports released on a date with a quoted title, and the counts they document, on sentences written for this test."""

from __future__ import annotations

from rightsgraph.extraction.propose import propose, propose_entities
from rightsgraph.sources.reading import read

from ..conftest import IMAGINARY, doc_of, one


def test_a_report_released_on_a_date_gets_its_publisher_date_and_count():
    text = ("On 4 May 2018, the Lantern Monitor released the report 'Salt and Silence: Riverton Camps', which documents "
            "58 cases of forced labour between 2011 and 2017.")
    doc = doc_of(text)
    cands = propose(doc, IMAGINARY)
    release = one(cands, "report-release")
    assert release["subject"] == "document/salt-and-silence-riverton-camps"
    assert release["facts"] == {"publisher": "org/lantern-monitor", "published": "2018-05-04"}
    count = one(cands, "report-count")
    assert count["facts"] == {"figure": {"value": 58, "measure": "cases-documented", "period": "between 2011 and 2017",
                                         "as_of": "2018-05-04", "dated_by": "publication"}}
    assert count["quote"] == "which documents 58 cases of forced labour between 2011 and 2017"
    reports = [e for e in propose_entities(doc, IMAGINARY) if e["type"] == "Report"]
    assert [(e["id"], e["label"]) for e in reports] == [("document/salt-and-silence-riverton-camps",
                                                         "Salt and Silence: Riverton Camps")]


def test_today_takes_the_dateline_and_a_new_publisher_its_name():
    text = ("Riverton, 9 July 2020.\n\nThe Orchard Justice Project today released its report “Bread Lines”, based on "
            "interviews with forty escapees.\n")
    cands = propose(doc_of(text), IMAGINARY)
    release = one(cands, "report-release")
    assert release["facts"] == {"publisher": "org/orchard-justice-project", "published": "2020-07-09"}
    count = one(cands, "report-count")
    assert count["facts"]["peopleCount"]["value"] == 40
    assert count["facts"]["peopleCount"]["measure"] == "people-interviewed"


def test_a_title_inside_markup_is_quoted_up_to_the_tag(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>On 2 March 2019, the Harbor Institute published <em>\"Tide Marks\"</em>.</p>"
                    "</body></html>", encoding="utf-8")
    release = one(propose(read(page), IMAGINARY), "report-release")
    assert release["quote"] == "On 2 March 2019, the Harbor Institute published"
    assert release["subject"] == "document/tide-marks" and release["facts"]["publisher"] == "org/harbor-institute"


def test_an_undated_or_unquoted_release_is_not_a_report():
    text = "The Lantern Monitor released a statement. In 2019 it published several short notes."
    assert not [c for c in propose(doc_of(text), IMAGINARY) if c["method"].endswith("report-release")]
