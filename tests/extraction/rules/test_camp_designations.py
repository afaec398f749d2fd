"""Camp designations: official names and facility numbers."""

from __future__ import annotations

from ..conftest import find, one


def test_camp_designations(proposed):
    desig = find(proposed["report.txt"], "camp-designation", officialName="Kwan-li-so No. 15")
    assert desig["subject"] == "facility/kwanliso-15" and desig["facts"]["facilityNumber"] == 15
    plain = find(proposed["report.txt"], "camp-designation", facilityNumber=15, officialName=None)
    assert "officialName" not in plain["facts"]  # "Camp No. 15" is a number, not an official name
    html = find(proposed["page.html"], "camp-designation")
    assert html["facts"] == {"officialName": "Kwan-li-so No. 14", "facilityNumber": 14}


def test_camp_designations_in_a_table(imaginary):
    cands = imaginary["table.txt"]
    assert one(cands, "camp-designation", "facility/kwanliso-41")["facts"] == {
        "officialName": "Kwan-li-so No. 41", "facilityNumber": 41}
