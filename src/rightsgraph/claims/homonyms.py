"""Names that two entities share, of the same kind or of different kinds.

A folded name (:func:`rightsgraph.claims.names.normalize_name`) that two entity records carry as
label or alias is either one real-world entity recorded twice, or an alias on the wrong record (a
government called by its country's name), or a true homonym: "China" the place and a source's
"China" for its government. The first two are errors to fix in the data; the third is declared in
``graph/homonyms.yaml`` with the entities and the reason, so that the check passes and a reader of
the data sees why the name is shared::

    - name: Kaechon
      entities: [facility/kwanliso-14, facility/kyohwaso-1]
      reason: two camps near the town; the sources tell them apart by their numbers

A declaration whose entities no longer share the name is reported too, so the file stays true.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rightsgraph.claims.names import normalize_name
from rightsgraph.claims.records import Entity
from rightsgraph.claims.yamlfile import line_of, read_yaml
from rightsgraph.errors import Problem

HOMONYMS_FILE = "homonyms.yaml"


@dataclass(frozen=True)
class Homonym:
    """A declared homonym: a name that the listed entities share on purpose, and why."""

    name: str
    entities: frozenset[str]
    reason: str
    file: str
    line: int

    @property
    def folded(self) -> str:
        return normalize_name(self.name)


def read(path: Path, label: str, problems: list[Problem]) -> list[Homonym]:
    """Read the declared homonyms (none when the file is absent); malformed entries become problems."""
    if not path.is_file():
        return []
    data = read_yaml(path, label) or []
    if not isinstance(data, list):
        problems.append(Problem(label, 1, "expected a list of homonyms (name, entities, reason)"))
        return []
    out = []
    for item in data:
        line = line_of(item)
        if not isinstance(item, dict):
            problems.append(Problem(label, line, "a homonym must be a mapping with name, entities and reason"))
            continue
        unknown = set(item) - {"name", "entities", "reason"}
        if unknown:
            problems.append(Problem(label, line, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}"))
        name, ids, reason = item.get("name"), item.get("entities"), item.get("reason")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(label, line_of(item, "name"), "a homonym needs the shared name"))
            continue
        if not isinstance(ids, list) or len(set(map(str, ids))) < 2:
            problems.append(Problem(label, line_of(item, "entities"), f"{name!r}: list the two or more entities that share it"))
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(label, line_of(item, "reason") or line,
                                    f"{name!r}: say why the name is shared (reason), in plain words"))
            continue
        out.append(Homonym(name.strip(), frozenset(map(str, ids)), reason.strip(), label, line))
    return out


def shared_names(entities: dict[str, Entity]) -> dict[str, dict[str, str]]:
    """Folded name -> {entity id: the name as that entity writes it}, for names on two or more entities."""
    carriers: dict[str, dict[str, str]] = {}
    for e in entities.values():
        for name in [e.label, *e.aliases]:
            carriers.setdefault(normalize_name(name), {}).setdefault(e.id, name)
    return {k: v for k, v in carriers.items() if len(v) > 1}


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _where(e: Entity, name: str) -> str:
    return f"{e.origin.file}:{e.name_lines.get(name) or e.origin.line}"


def check(entities: dict[str, Entity], declared: list[Homonym], problems: list[Problem]) -> None:
    """Report every name two entities share that no declaration covers, and every stale declaration.

    A pair of entities sharing a name is covered when one declaration of that (folded) name lists
    both. Each problem names the file and line of both entities.
    """
    by_name: dict[str, list[Homonym]] = {}
    for h in declared:
        by_name.setdefault(h.folded, []).append(h)
    shared = shared_names(entities)
    for folded, carriers in sorted(shared.items()):
        ids = sorted(carriers)
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                if any({first, second} <= h.entities for h in by_name.get(folded, [])):
                    continue
                # reported at the record written later (in file order), naming the earlier one
                a, b = sorted((entities[first], entities[second]), key=lambda e: (e.origin.file, e.origin.line))
                name_a, name_b = carriers[a.id], carriers[b.id]
                kinds = "of one kind" if a.kind == b.kind else f"{_article(b.kind)} and {_article(a.kind)}"
                problems.append(Problem(
                    b.origin.file, b.name_lines.get(name_b) or b.origin.line,
                    f"{b.id} ({_where(b, name_b)}) and {a.id} ({_where(a, name_a)}), "
                    f"{kinds}, share the name {name_b!r}: one entity or two? Fix the alias, or declare "
                    f"the homonym with a reason in graph/{HOMONYMS_FILE}"))
    for h in declared:
        for ident in sorted(h.entities):
            if ident not in entities:
                problems.append(Problem(h.file, h.line, f"homonym {h.name!r}: unknown entity {ident!r}"))
            elif ident not in shared.get(h.folded, {}):
                problems.append(Problem(h.file, h.line, f"homonym {h.name!r}: {ident} does not carry the name "
                                                        f"(any more): remove it from the declaration"))
