"""YAML as the project writes it: read with the line of every mapping and key, so that every problem
names its file and line; written in the style of ``graph/`` (block mappings, flow style for short
values, one line per scalar)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rightsgraph.errors import DataError, Problem


class LineDict(dict):
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """A safe YAML loader whose mappings carry line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    """A date, or its text when it only looks like one (2026-12-32), so that the check names its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path, label: str) -> Any:
    """Parse a YAML file; a syntax error becomes a DataError naming ``label`` and the line."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise DataError([Problem(label, line, f"YAML error: {exc.problem or exc.context}")]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(label, 0, f"not UTF-8 text ({exc.reason})")]) from None


def line_of(d: Any, key: str | None = None) -> int:
    """The line of a mapping read by :func:`read_yaml` (of its ``key`` when given); 0 for other values."""
    if isinstance(d, LineDict):
        return d.key_lines.get(key, d.line) if key else d.line
    return 0


def plain(value: Any) -> Any:
    """A loaded YAML value as plain dicts and lists (line-numbered mappings are not representable)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class _Block(dict):
    """A mapping always written in block style (a source record, the facts of a claim)."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter when there is one
    """The safe dumper, with :class:`_Block` mappings in block style."""


FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_Dumper.add_representer(_Block, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=False))


def _styled(value: Any, key: str | None = None) -> Any:
    """Plain data with the mappings that read best in block style marked so."""
    if isinstance(value, dict):
        out = {k: _styled(v, k) for k, v in value.items()}
        return _Block(out) if key in ("document", "facts", "item", None) else out
    if isinstance(value, list):
        return [_styled(v, "item" if isinstance(v, dict) and key in ("claims", "new_entities", None) else key) for v in value]
    return value


def dump(value: Any) -> str:
    """YAML in the style of ``graph/``: block mappings, flow style for figures and short lists, one line per scalar."""
    return yaml.dump(_styled(plain(value)), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=None)
