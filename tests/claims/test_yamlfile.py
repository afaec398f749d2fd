"""YAML read with the line of every mapping and key, and written in the style of graph/."""

from __future__ import annotations

import pytest
import yaml

from rightsgraph.claims.yamlfile import dump, line_of, plain, read_yaml
from rightsgraph.errors import DataError


def test_every_mapping_and_key_knows_its_line(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text("source: s\nclaims:\n  - subject: a/b\n    quote: \"q\"\n  - subject: c/d\n", encoding="utf-8")
    data = read_yaml(f, "x.yaml")
    first, second = data["claims"]
    assert line_of(data, "claims") == 2
    assert (line_of(first), line_of(first, "quote"), line_of(second)) == (3, 4, 5)
    assert line_of("a plain string") == 0


def test_a_duplicate_key_or_a_syntax_error_names_file_and_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_yaml(f, "graph/bad.yaml")
    assert str(err.value.problems[0]).startswith("graph/bad.yaml:3:") and "duplicate key 'a'" in str(err.value)
    f.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_yaml(f, "graph/bad.yaml")
    assert err.value.problems[0].line >= 1 and "YAML error" in err.value.problems[0].message


def test_text_that_is_not_utf8_is_a_data_error(tmp_path):
    f = tmp_path / "latin.yaml"
    f.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_yaml(f, "latin.yaml")


def test_dump_writes_the_graph_style_and_reads_back_the_same(tmp_path):
    value = {"document": {"id": "x", "title": "A title: with a colon"},
             "claims": [{"subject": "a/b", "quote": "“curly” — dash", "facts": {"prisonerCount": {"high": 50000, "qualifier": "up to"}}}]}
    text = dump(value)
    assert "document:\n  id: x\n" in text          # block style for the record
    assert "{high: 50000, qualifier: up to}" in text  # flow style for a figure
    assert "“curly” — dash" in text                   # unicode kept as it is
    f = tmp_path / "out.yaml"
    f.write_text(text, encoding="utf-8")
    assert plain(read_yaml(f, "out.yaml")) == value == yaml.safe_load(text)
