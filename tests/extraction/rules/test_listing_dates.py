"""Listings of reports: a date line above or below a title."""

from __future__ import annotations

from ..conftest import one


def test_publication_dates_in_a_listing_and_no_placeholder_dates(imaginary):
    cands = imaginary["listing.txt"]
    below = one(cands, "listing-date", "document/silent-valleys")
    assert below["facts"] == {"published": "2017-05-04"} and below["quote"] == "May 04, 2017"
    above = one(cands, "listing-date", "document/mountain-roads")
    assert above["facts"] == {"published": "2016-06-02"} and above["quote"] == "June 2, 2016 • Report"
    assert not [c for c in cands if c["subject"] == "document/harbor-letters"]  # "Dec 31, 1969" is no date
    assert not [c for c in cands if "1969" in str(c["facts"])]
