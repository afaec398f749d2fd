"""Tables: prisoner counts and areas of the camps in a table's rows."""

from __future__ import annotations

from ..conftest import bare, bare_facts, one


def test_table_rows(imaginary):
    cands = imaginary["table.txt"]
    row = one(cands, "table-row", "facility/kwanliso-41")
    assert bare_facts(row["facts"]) == {"areaKm2": 120, "prisonerCount": 8000}
    assert row["quote"] == "Alpha Valley Camp | Kwan-li-so No. 41 | 120 km^{2} (46 mi^{2}) | 8,000"
    assert bare_facts(one(cands, "table-row", "facility/kwanliso-42")["facts"]) == {
        "areaKm2": 0.5, "prisonerCount": {"low": 2000, "qualifier": "+"}}
