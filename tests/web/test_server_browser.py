"""A person's path through the server in headless Chromium: home, search "Yodok", the camp, a query."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest
from PIL import Image

from ..conftest import chromium_dom, chromium_screenshot
from .test_server import start, stop

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def site(built):
    proc, base = start(built.store)
    yield base
    stop(proc)


def not_blank(png) -> bool:
    img = Image.open(png).convert("RGB")
    return len(img.getcolors(maxcolors=1 << 20) or []) > 20


def form(dom: str, field: str) -> tuple[str, str]:
    """The action and method of the form holding an input or textarea named ``field``."""
    for m in re.finditer(r"<form\b([^>]*)>(.*?)</form>", dom, re.S):
        if re.search(rf'<(input|textarea)\b[^>]*name="{field}"', m.group(2)):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            return attrs.get("action", ""), attrs.get("method", "get").lower()
    raise AssertionError(f"no form with a field named {field!r}")


def test_home_search_camp_and_query_in_chromium(site, tmp_path):
    home = chromium_dom(site + "/", tmp_path)
    assert "rightsgraph" in home
    action, method = form(home, "q")
    assert method == "get"
    assert not_blank(chromium_screenshot(site + "/", tmp_path / "home.png", tmp_path))

    # what submitting the search box with "Yodok" requests
    results = chromium_dom(urllib.parse.urljoin(site + "/", action) + "?" + urllib.parse.urlencode({"q": "Yodok"}), tmp_path)
    links = [html.unescape(h) for h in re.findall(r'href="([^"]*kwanliso-15[^"]*)"', results)]
    assert links, "the search results do not link to the Yodok camp"

    camp_url = urllib.parse.urljoin(site + "/", links[0])
    camp = chromium_dom(camp_url, tmp_path)
    assert "Yodok political prison camp" in camp
    assert re.search(r"46,?500", camp), "the camp's prisoner estimate is missing"
    assert "wikipedia-human-rights-in-north-korea" in camp
    assert not_blank(chromium_screenshot(camp_url, tmp_path / "camp.png", tmp_path))

    # the query page: its form, filled with a question, gives a table
    page = chromium_dom(site + "/query", tmp_path)
    action, method = form(page, "query")
    text = "SELECT ?name WHERE { ?p <https://w3id.org/rightsgraph/ontology#chairOf> ?body ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    url = urllib.parse.urljoin(site + "/", action) + "?" + urllib.parse.urlencode({"query": text})
    answered = chromium_dom(url, tmp_path)
    assert "<table" in answered and "Michael Kirby" in answered
    assert not_blank(chromium_screenshot(url, tmp_path / "query.png", tmp_path))
