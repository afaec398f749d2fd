"""Event dates: one date, or a span, for the event a sentence names."""

from __future__ import annotations

from ..conftest import one


def test_event_dates(imaginary):
    cands = imaginary["violations.txt"]
    assert one(cands, "event-span")["facts"] == {"startDate": 1994, "endDate": 1998}
    riot = one(cands, "event-date")
    assert riot["subject"] == "event/harbor-riot" and riot["facts"] == {"date": "2001-03-12"}
