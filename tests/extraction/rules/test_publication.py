"""Publications: publisher and date from a sentence."""

from __future__ import annotations

from ..conftest import find, one


def test_publication(proposed):
    pub = find(proposed["report.md"], "publication")
    assert pub["facts"] == {"publisher": "org/example-watch", "published": "2016-03-08"}
    assert pub["subject"] == "document/voices-from-the-valley" and "new entity" in pub["note"]
    assert pub["quote"].startswith("Example Watch published") and pub["quote"].endswith("accounts.")


def test_publication_sentence(imaginary):
    pub = one(imaginary["people.md"], "publication")
    assert pub["subject"] == "document/silent-valleys"
    assert pub["facts"] == {"publisher": "org/lantern-monitor", "published": "2017-05-04"}
