"""The verify and diff commands, run as a user runs them (the real executable)."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from rightsgraph import paths
from rightsgraph.sources.corpus import Corpus
from rightsgraph.store import build

from ..conftest import run_cli


@pytest.fixture
def exported(mini):
    build.build(paths.project(mini), Corpus(mini / "corpus"))
    return mini, mini / "build" / "releases" / "public" / "exports" / "rightsgraph.np.trig"


def test_verify_passes_an_export_and_names_the_part_of_a_forged_one(exported, tmp_path):
    _, file = exported
    ok = run_cli("verify", str(file))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("verified: each matches its trusty URI")
    forged = tmp_path / "forged.np.trig"
    forged.write_text(file.read_text(encoding="utf-8").replace("20,000 prisoners", "20,001 prisoners"), encoding="utf-8")
    bad = run_cli("verify", str(forged))
    assert bad.returncode == 1
    assert "the provenance changed" in bad.stderr.splitlines()[-1]


def test_verify_reads_a_nanopublication_from_a_server_on_this_machine(exported, tmp_path):
    _, file = exported
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "claim.trig").write_bytes(file.read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/claim.trig"
        result = run_cli("verify", url)
        assert result.returncode == 0, result.stderr
        missing = run_cli("verify", url + ".gone")
        assert missing.returncode == 3 and "cannot read" in missing.stderr
    finally:
        server.shutdown()


def test_export_nanopub_writes_the_file_the_build_wrote(exported, tmp_path):
    root, file = exported
    out = tmp_path / "claims.np.trig"
    result = run_cli("--root", str(root), "export", "-o", str(out))
    assert result.returncode == 0, result.stderr
    # the release store also describes the release; the nanopublications name it the same way
    assert out.read_bytes() == file.read_bytes()


def test_diff_prints_one_line_per_claim_that_moved(exported, tmp_path):
    root, file = exported
    text = file.read_text(encoding="utf-8")
    second = text.index("\n}\n", text.index("sub:pubinfo {")) + 3  # where the second nanopublication starts
    assert text[second:].startswith("@prefix")
    fewer = tmp_path / "fewer.np.trig"
    fewer.write_text(text[second:], encoding="utf-8")  # the first nanopublication taken out
    result = run_cli("--root", str(root), "diff", str(file), str(fewer))
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith("- https://w3id.org/rightsgraph/claim/")
    assert "0 added, 1 retracted, 0 changed" in result.stderr


@pytest.fixture
def key(tmp_path):
    from nanopub_sign import KeyPair

    body = KeyPair().private  # a new RSA key, PKCS#8 in Base64, written as `openssl genpkey` writes it
    pem = tmp_path / "key.pem"
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    pem.write_text("\n".join(["-----BEGIN PRIVATE KEY-----", *lines, "-----END PRIVATE KEY-----", ""]), encoding="ascii")
    return pem


def test_signed_nanopublications_verify_and_a_forger_who_rehashes_is_caught_by_the_signature(exported, key, tmp_path):
    import pyoxigraph as ox
    from nanopub_sign import Nanopub as Independent

    from rightsgraph.outputs import nanopub, trusty

    root, _ = exported
    out = tmp_path / "signed.np.trig"
    result = run_cli("--root", str(root), "export", "--format", "nanopub", "--sign-key", str(key), "-o", str(out))
    assert result.returncode == 0, result.stderr
    found, _ = nanopub.load(str(out))
    assert found and all(nanopub.signed(n) for n in found)
    for np_ in found:  # the independent checker: the signature and the trusty URI
        info = Independent(np_.trig().decode("utf-8")).check().info()
        assert info["signature"] and np_.iri.endswith(info["trusty_hash"])
    ok = run_cli("verify", str(out))
    assert ok.returncode == 0 and f"{len(found)} signature(s) verified" in ok.stdout
    # change a quote and give the nanopublication the trusty URI of its new content: only the signature tells
    np_ = next(n for n in found if "20,000 prisoners" in n.trig().decode("utf-8"))
    old = trusty.artifact_code(np_.iri)
    text = np_.trig().decode("utf-8").replace("20,000 prisoners", "2,000 prisoners")
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    forged = text.replace(old, trusty.code_of(quads, old))
    (again,), _ = nanopub.split(ox.parse(forged.encode("utf-8"), format=ox.RdfFormat.TRIG))
    verdict = nanopub.check(again)
    assert not verdict.ok and verdict.part == "signature"
    (tmp_path / "forged.np.trig").write_text(forged, encoding="utf-8")
    bad = run_cli("verify", str(tmp_path / "forged.np.trig"))
    assert bad.returncode == 1 and "signature" in bad.stderr


def test_sign_key_is_for_nanopublications_only(exported, key, tmp_path):
    root, _ = exported
    result = run_cli("--root", str(root), "export", "--format", "trig", "--sign-key", str(key), "-o", str(tmp_path / "x.trig"))
    assert result.returncode == 2 and "--sign-key" in result.stderr
