"""Claims as nanopublications with trusty URIs: the ``nanopub`` export, and checking one.

Every claim graph of a store becomes one nanopublication, named by a trusty URI of kind ``RA``
(:mod:`rightsgraph.outputs.trusty`) computed over all its quads, so that anyone can check that a cited
claim has not changed:

- the **head** graph ties the three others to the nanopublication (``np:hasAssertion`` ...);
- the **assertion** is the claim graph's facts, as the store has them;
- the **provenance** is what the provenance graph says of the claim (its source, the quote and
  position selectors, certainty, attribution, method, note) with the source record and the activity
  that made the claim, and ``sub:assertion prov:wasDerivedFrom`` the source;
- the **publication info** says which claim this is a version of (``dcterms:isVersionOf``), the release
  that first publishes it (the narrowest audience that sees the claim's access level), the claim's
  access level and review status (who, when), the source's licence (``dcterms:rights``), and the hash
  of the assertion and of the provenance (``rg:contentHash``), so that a failed check says which part
  changed.

Nothing in it depends on when it was written, so a claim that did not change keeps its trusty URI from
one release to the next (:mod:`rightsgraph.release.diff` relies on that).
"""

from __future__ import annotations

import io
import os
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from rightsgraph.errors import UsageError
from rightsgraph.model import ontology as ontology_mod
from rightsgraph.namespaces import CLAIM, NANOPUB, NP, PROVENANCE_GRAPH, RELEASE, RG
from rightsgraph.outputs import trusty
from rightsgraph.paths import Paths

#: The media type under which nanopublications are offered (TriG, told apart from the TriG of the graph).
MEDIA_TYPE = "application/x-nanopub+trig"
#: The parts of a nanopublication besides its head, and the head's property for each.
PARTS = {"assertion": str(NP.hasAssertion), "provenance": str(NP.hasProvenance), "pubinfo": str(NP.hasPublicationInfo)}
HEAD = "Head"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PROV = "http://www.w3.org/ns/prov#"
_DCT = "http://purl.org/dc/terms/"
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")
#: What the provenance graph says of a claim that goes into the publication info, not the provenance.
_PUBINFO_PROPERTIES = {str(RG.accessLevel), str(RG.reviewStatus), str(RG.reviewedBy), str(RG.reviewedOn)}
#: Stands for the artifact code while the content is hashed (replaced by a space, as the code itself is).
_PLACEHOLDER = "RA" + "_" * 43
#: The IRI a nanopublication has while nanopub-sign signs it (it then becomes ``<BASE>np/signed.RA...``).
_DRAFT = str(NANOPUB) + "signed"

#: Prefixes written into the TriG of each nanopublication (``this`` and ``sub`` are added per nanopublication;
#: entity and claim IRIs are written in full, since their paths have slashes).
PREFIXES = {
    "np": str(NP), "npx": "http://purl.org/nanopub/x/", "rg": str(RG._NS), "prov": _PROV, "oa": "http://www.w3.org/ns/oa#", "dcterms": _DCT,
    "xsd": "http://www.w3.org/2001/XMLSchema#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass
class Nanopub:
    """One nanopublication: its IRI, the claim it is a version of (if it says), and its quads."""

    iri: str
    quads: list[ox.Quad]
    claim: str | None = None
    graphs: dict[str, str] = field(default_factory=dict)  # part name (Head, assertion ...) -> graph IRI

    def part(self, name: str) -> list[ox.Quad]:
        """The quads of one part (``Head``, ``assertion``, ``provenance`` or ``pubinfo``)."""
        g = self.graphs.get(name)
        return [q for q in self.quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == g]

    def trig(self) -> bytes:
        """The nanopublication as a TriG document of its own."""
        prefixes = {"this": self.iri, "sub": self.iri + "/", **PREFIXES}
        return ox.serialize(self.quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)


class Maker:
    """Makes the nanopublications of one store's claims (the source records and activities are read once)."""

    def __init__(self, store: ox.Store, paths: Paths | None = None) -> None:
        self.store = store
        self.prov = _n(str(PROVENANCE_GRAPH))
        self._records: dict[str, list[ox.Quad]] = {}
        self._release: dict[str, str] = {}
        self._uris: dict[str, str] = {}
        if paths is not None:
            onto = ontology_mod.load(paths.ontology / "rightsgraph.ttl")
            # the release that first publishes a level: the audience that sees it and the fewest other levels
            for name, aud in sorted(onto.audiences.items(), key=lambda kv: (-len(kv[1].sees), kv[0])):
                for level in aud.sees:
                    self._release[str(level)] = str(RELEASE[name])

    def claims(self) -> list[str]:
        """Every claim graph of the store, sorted."""
        return sorted(g.value for g in self.store.named_graphs()
                      if isinstance(g, ox.NamedNode) and g.value.startswith(str(CLAIM)))

    def _record(self, iri: str) -> list[ox.Quad]:
        """What the provenance graph says of a source or an activity, with its own ``#`` nodes."""
        if iri not in self._records:
            self._records[iri] = self._closure(iri)
        return self._records[iri]

    def _closure(self, iri: str) -> list[ox.Quad]:
        out, todo, seen = [], [iri], {iri}
        while todo:
            node = todo.pop()
            for q in self.store.quads_for_pattern(_n(node), None, None, self.prov):
                out.append(q)
                o = q.object
                if isinstance(o, ox.NamedNode) and o.value.startswith(iri + "#") and o.value not in seen:
                    seen.add(o.value)
                    todo.append(o.value)
        return out

    def make(self, claim: str) -> Nanopub:
        """The nanopublication of the claim graph ``claim``, with its trusty URI."""
        this = str(NANOPUB) + _PLACEHOLDER
        sub = this + "/"
        g = {name: _n(sub + name) for name in (HEAD, *PARTS)}
        c = _n(claim)
        assertion = [ox.Quad(q.subject, q.predicate, q.object, g["assertion"])
                     for q in self.store.quads_for_pattern(None, None, None, c)]
        if not assertion:
            raise UsageError(f"<{claim}> is not a claim graph of this store")
        provenance, pubinfo, extra = [], [], []
        source = None
        for q in self._closure(claim):
            p = q.predicate.value
            if q.subject == c and p in _PUBINFO_PROPERTIES:
                pubinfo.append(ox.Quad(q.subject, q.predicate, q.object, g["pubinfo"]))
                continue
            provenance.append(ox.Quad(q.subject, q.predicate, q.object, g["provenance"]))
            if q.subject == c and p == _PROV + "wasDerivedFrom":
                source = q.object.value
            if q.subject == c and p in (_PROV + "wasDerivedFrom", _PROV + "wasGeneratedBy") \
                    and isinstance(q.object, ox.NamedNode):
                extra += self._record(q.object.value)
        provenance += [ox.Quad(q.subject, q.predicate, q.object, g["provenance"]) for q in extra]
        if source is not None:
            provenance.append(ox.Quad(g["assertion"], _n(_PROV + "wasDerivedFrom"), _n(source), g["provenance"]))
        head = [ox.Quad(_n(this), _n(_RDF_TYPE), _n(str(NP.Nanopublication)), g[HEAD])]
        head += [ox.Quad(_n(this), _n(prop), g[name], g[HEAD]) for name, prop in PARTS.items()]
        t = _n(this)
        pubinfo.append(ox.Quad(t, _n(_DCT + "isVersionOf"), c, g["pubinfo"]))
        level = next((q.object.value for q in pubinfo if q.predicate.value == str(RG.accessLevel)), None)
        if level in self._release:
            pubinfo.append(ox.Quad(t, _n(_DCT + "isPartOf"), _n(self._release[level]), g["pubinfo"]))
        if source is not None:
            for q in self.store.quads_for_pattern(_n(source), _n(str(RG.license)), None, self.prov):
                pubinfo.append(ox.Quad(t, _n(_DCT + "rights"), q.object, g["pubinfo"]))
        for name, part in (("assertion", assertion), ("provenance", provenance)):
            pubinfo.append(ox.Quad(g[name], _n(str(RG.contentHash)),
                                   ox.Literal(part_hash(part, this, sub), datatype=_XSD_STRING), g["pubinfo"]))
        quads = head + assertion + provenance + pubinfo
        code = trusty.code_of(quads, _PLACEHOLDER)
        iri = str(NANOPUB) + code
        # only the nanopublication's own IRIs carry the placeholder: rename those five
        renamed = {t: _n(iri), **{node: _n(iri + "/" + name) for name, node in g.items()}}
        quads = [ox.Quad(renamed.get(q.subject, q.subject), q.predicate, renamed.get(q.object, q.object),
                         renamed[q.graph_name]) for q in quads]
        return Nanopub(iri, quads, claim, {name: iri + "/" + name for name in (HEAD, *PARTS)})

    def uri(self, claim: str) -> str:
        """The trusty URI of ``claim``'s nanopublication (remembered: the store is a read-only release)."""
        if claim not in self._uris:
            self._uris[claim] = self.make(claim).iri
        return self._uris[claim]

    def all(self) -> Iterator[Nanopub]:
        """The nanopublication of every claim, in the order of the claims' IRIs."""
        for claim in self.claims():
            yield self.make(claim)


def part_hash(quads: Iterable[ox.Quad], this: str, sub: str) -> str:
    """The hash of one part, as ``rg:contentHash`` records it: its triples, with the nanopublication's own IRI
    and the IRIs under it written as ``urn:x-nanopub:this`` and ``urn:x-nanopub:sub:<rest>``, so that the
    value stays right when signing renames the nanopublication."""
    def term(t):
        if isinstance(t, ox.NamedNode):
            if t.value == this:
                return _n("urn:x-nanopub:this")
            if t.value.startswith(sub):
                return _n("urn:x-nanopub:sub:" + t.value[len(sub):])
        return t
    return trusty.code_of(ox.Quad(term(q.subject), q.predicate, term(q.object)) for q in quads)


#: The makers of the last few stores asked (the server asks the same release store again and again).
_MAKERS: list[tuple[ox.Store, Paths | None, Maker]] = []


def maker(store: ox.Store, paths: Paths | None = None) -> Maker:
    """The :class:`Maker` of ``store``, kept for the next call on the same (read-only) store."""
    for st, p, m in _MAKERS:
        if st is store and p == paths:
            return m
    m = Maker(store, paths)
    _MAKERS.insert(0, (store, paths, m))
    del _MAKERS[4:]
    return m


def trusty_uri(store: ox.Store, claim: str, paths: Paths | None = None) -> str:
    """The trusty URI of the nanopublication of ``claim`` (a claim graph IRI) in ``store`` (a release).

    The same claim with the same facts, provenance and publication info has the same URI in every
    release; pass the project's ``paths`` so that the publication info names the release, as the export does.
    """
    return maker(store, paths).uri(claim)


def write(store: ox.Store, out: BinaryIO, paths: Paths) -> None:
    """The export writer: every claim of ``store`` as a nanopublication, one TriG document after another."""
    for np_ in Maker(store, paths).all():
        out.write(np_.trig())


# -- signing (optional: with nanopub-sign, the Python binding of the Rust nanopub library) ----------------

def read_key(path: Path) -> str:
    """The private key of a PEM file (PKCS#8, ``openssl genpkey -algorithm RSA``) as the Base64 text nanopub-sign takes."""
    text = Path(path).read_text(encoding="ascii")
    if "PRIVATE KEY" not in text:
        raise UsageError(f"{path}: not a PEM private key (make one with `openssl genpkey -algorithm RSA -out key.pem`)")
    return "".join(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("-----"))


def _signer():
    try:
        import nanopub_sign
    except ImportError:
        raise UsageError("signing needs nanopub-sign: `pip install nanopub-sign`") from None
    return nanopub_sign


def sign(np_: Nanopub, key: str) -> Nanopub:
    """``np_`` signed with the RSA private ``key`` (see :func:`read_key`): nanopub-sign adds the public key, the
    signature and the time of signing to the publication info and names the result by a new trusty URI over
    all of it (``<BASE>np/signed.RA...``, graphs ``.../#assertion`` ...). A signed nanopublication's URI therefore
    changes each time it is signed; the unsigned one's does not."""
    lib = _signer()
    # nanopub-sign names the result itself: it is given a draft whose graphs are fragments of one IRI
    draft = np_.trig().decode("utf-8").replace(np_.iri + "/", _DRAFT + "#").replace(np_.iri, _DRAFT)
    try:
        signed = lib.Nanopub(draft).sign(lib.NpProfile(key))
    except Exception as exc:  # the binding raises plain Exceptions
        raise UsageError(f"cannot sign <{np_.iri}>: {exc}") from None
    (out,), _ = split(parse(signed.rdf().encode("utf-8")))
    out.claim = np_.claim
    return out


def write_signed(store: ox.Store, out: BinaryIO, paths: Paths, key: str) -> None:
    """As :func:`write`, each nanopublication signed with ``key``."""
    for np_ in Maker(store, paths).all():
        out.write(sign(np_, key).trig())


def signed(np_: Nanopub) -> bool:
    """Whether the publication info carries a signature (``npx:hasSignature``)."""
    return any(q.predicate.value == "http://purl.org/nanopub/x/hasSignature" for q in np_.part("pubinfo"))


def check_signature(np_: Nanopub) -> str | None:
    """None if nanopub-sign finds the signature (and the trusty URI) valid, else its reason."""
    lib = _signer()
    saved = os.dup(1)  # the library reports on stdout (file descriptor 1); that output is not ours to print
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            lib.Nanopub(np_.trig().decode("utf-8")).check()
    except Exception as exc:  # the binding raises plain Exceptions
        return " ".join(str(exc).split())
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return None


# -- reading and checking -----------------------------------------------------------------------------

def split(quads: Iterable[ox.Quad]) -> tuple[list[Nanopub], list[str]]:
    """The nanopublications among ``quads`` (each found by its head), and the graphs that belong to none."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(key, []).append(q)
    found, used = [], set()
    for graph, qs in by_graph.items():
        for q in qs:
            if q.predicate.value == _RDF_TYPE and q.object == _n(str(NP.Nanopublication)):
                iri = q.subject.value
                graphs = {HEAD: graph}
                for h in qs:
                    if h.subject == q.subject and isinstance(h.object, ox.NamedNode):
                        for name, prop in PARTS.items():
                            if h.predicate.value == prop:
                                graphs[name] = h.object.value
                mine = [x for name in (HEAD, *PARTS) if name in graphs for x in by_graph.get(graphs[name], [])]
                used.update(graphs.values())
                claim = next((x.object.value for x in by_graph.get(graphs.get("pubinfo", ""), [])
                              if x.subject == q.subject and x.predicate.value == _DCT + "isVersionOf"), None)
                found.append(Nanopub(iri, mine, claim, graphs))
    return found, sorted(set(by_graph) - used)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one nanopublication: ``part`` names what changed when it failed."""

    iri: str
    ok: bool
    part: str | None = None
    reason: str = ""
    claim: str | None = None


def check(np_: Nanopub) -> Verdict:
    """Check one nanopublication: its structure, then its trusty URI against its content; on a mismatch,
    the part whose recorded hash (``rg:contentHash``) no longer fits names the change."""
    def bad(part: str, reason: str) -> Verdict:
        return Verdict(np_.iri, False, part, reason, np_.claim)

    missing = [name for name in PARTS if name not in np_.graphs]
    if missing:
        return bad("head", f"the head names no {' or '.join(missing)} graph")
    if len(set(np_.graphs.values())) != len(np_.graphs):
        return bad("head", "two parts share one graph")
    for name in PARTS:
        if not np_.part(name):
            return bad(name, f"the {name} graph is empty")
    code = trusty.artifact_code(np_.iri)
    if code is None:
        return bad("head", f"<{np_.iri}> is not a trusty URI (no artifact code of kind RA)")
    outside = [g for g in np_.graphs.values() if not g.startswith(np_.iri)]
    if outside:
        return bad("head", f"the graph <{outside[0]}> is not under the trusty URI <{np_.iri}>")
    if trusty.code_of(np_.quads, code) == code:
        if not signed(np_):
            return Verdict(np_.iri, True, None, "", np_.claim)
        try:
            problem = check_signature(np_)
        except UsageError:
            return Verdict(np_.iri, True, None, "signature not checked: nanopub-sign is not installed", np_.claim)
        if problem:
            return bad("signature", f"the signature does not verify: {problem}")
        return Verdict(np_.iri, True, None, "signature verified", np_.claim)
    recorded = {q.subject.value: q.object.value for q in np_.part("pubinfo")
                if q.predicate.value == str(RG.contentHash) and isinstance(q.object, ox.Literal)}
    sub = np_.graphs["assertion"][:-len("assertion")]
    for name in ("assertion", "provenance"):
        said = recorded.get(np_.graphs[name])
        now = part_hash(np_.part(name), np_.iri, sub)
        if said is not None and said != now:
            return bad(name, f"the {name} changed: its hash is {now}, the publication info records {said}")
    if not recorded:
        return bad("content", "the content does not match the trusty URI (no recorded hashes say which part changed)")
    return bad("pubinfo", "the publication info (or the head) changed: the assertion and provenance match "
                          "their recorded hashes, the whole does not match the trusty URI")


def parse(data: bytes, name: str = "") -> list[ox.Quad]:
    """The quads of a nanopublication document: TriG, or N-Quads if ``name`` ends in ``.nq``."""
    fmt = ox.RdfFormat.N_QUADS if name.endswith((".nq", ".nquads")) else ox.RdfFormat.TRIG
    try:
        return list(ox.parse(io.BytesIO(data), format=fmt))
    except SyntaxError as exc:
        raise UsageError(f"{name or 'the document'} is not valid {fmt.name}: {exc}") from None


def load(target: str, timeout: float = 30.0) -> tuple[list[Nanopub], list[str]]:
    """The nanopublications of a file, or of a URL on this machine (fetched as :data:`MEDIA_TYPE`)."""
    if target.startswith(("http://", "https://")):
        req = urllib.request.Request(target, headers={"Accept": f"{MEDIA_TYPE}, application/trig;q=0.5"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user names the URL
            data = resp.read()
        return split(parse(data, ""))
    path = Path(target)
    if not path.is_file():
        raise UsageError(f"{target}: no such file")
    return split(parse(path.read_bytes(), path.name))
