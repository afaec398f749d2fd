"""The registry of extraction rules: every rule module registers its rule here with :func:`rule`.

A *sentence rule* is called as ``run(doc, sent, found, ctx)`` for each sentence (``sent``, a span of
``doc.clean``) that passes its gate: the sentence holds one of its ``words`` (in lower case) and names an
entity of one of the kinds it ``needs``; ``found`` are the mentions in the sentence, ``ctx`` what is known
of the whole document (:class:`Context`). A *document rule* (``document=True``) is called once as
``run(doc, found)`` with every mention of the document. Each returns candidate claims
(:mod:`rightsgraph.extraction.candidates`) whose facts use only the rule's ``predicates``.

Rules run in the order of their ``order`` number, sentence by sentence and then the document rules; of two
rules that propose the same facts on the same subject from the same passage, the first is kept, and
candidates that start at the same offset stay in this order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from rightsgraph.extraction.mentions import Mention


@dataclass(frozen=True)
class Rule:
    """A registered rule: its name, the function that proposes, and when it runs."""

    name: str
    run: Callable[..., list[dict]]
    order: int
    predicates: tuple[str, ...]
    words: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    document: bool = False

    def applies(self, low: str, kinds: set[str]) -> bool:
        """Whether a sentence (in lower case) that names entities of these kinds passes the rule's gate."""
        return self.passes({w for w in self.words if w in low}, kinds)

    def passes(self, present: set[str], kinds: set[str]) -> bool:
        """The gate of :meth:`applies`, given the words of the gate (and perhaps of other rules' gates) the sentence
        holds: the words of every rule are looked for once per sentence."""
        return (not self.needs or not kinds.isdisjoint(self.needs)) and (not self.words or not present.isdisjoint(self.words))


#: Every registered rule, in the order they run.
REGISTRY: list[Rule] = []


def rule(name: str, *, order: int, predicates: tuple[str, ...], words: tuple[str, ...] = (),
         needs: tuple[str, ...] = (), document: bool = False) -> Callable:
    """Register the decorated function as the rule ``name`` (see the module's docstring for the arguments)."""

    def register(run: Callable[..., list[dict]]) -> Callable[..., list[dict]]:
        if any(r.name == name for r in REGISTRY):
            raise ValueError(f"two extraction rules are named {name!r}")
        if any(r.order == order for r in REGISTRY):
            raise ValueError(f"the extraction rule {name!r} has the order {order} of another rule")
        if document and (words or needs):
            raise ValueError(f"the document rule {name!r} cannot have a sentence gate (words, needs)")
        REGISTRY.append(Rule(name, run, order, tuple(predicates), tuple(words), tuple(needs), document))
        REGISTRY.sort(key=lambda r: r.order)
        return run

    return register


@dataclass
class Context:
    """What the rules know of the whole document: its mentions, the country it is about, and who acts for a country."""

    mentions: list[Mention]
    focus: str | None
    government_of: dict[str, str]
    _groups: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)  # salient_group's answers

    def agent(self, m: Mention) -> str:
        """The entity that acts when a mention names it: a country's government, if the graph has one."""
        return self.government_of.get(m.entity, m.entity) if m.kind == "place" else m.entity

    def salient_group(self, noun: str) -> str | None:
        """The group the document most often names with a name ending in ``noun`` ("political prisoners" for
        "prisoners"), which a bare "prisoners" most likely means; None if there is no such group or a tie."""
        if noun not in self._groups:
            self._groups[noun] = self._salient_group(noun)
        return self._groups[noun]

    def _salient_group(self, noun: str) -> str | None:
        """The answer of :meth:`salient_group`, computed."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            if m.kind == "group" and m.text.lower().endswith(noun) and " " in m.text.strip():
                counts[m.entity] = counts.get(m.entity, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

