"""Reading documents for extraction: encodings, bad inputs, streamed blocks with global offsets, bounded memory."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from rightsgraph.sources import reading
from rightsgraph.sources.reading import Reader, ReadError, read, spans_at

from ..conftest import copy_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "review"


def _doc(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def _prose(seed: int, paragraphs: int) -> str:
    rnd = random.Random(seed)
    words = ["Camp", "15", "held", "prisoners.", "The", "guards", "é", "世界", "—", "“quoted”", "Kwan-li-so", "No."]
    paras = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 60))) for _ in range(paragraphs)]
    return "".join(p + rnd.choice(["\n\n", "\n \n", "\r\n\r\n", "\n", " "]) for p in paras)


# -- encodings and titles -------------------------------------------------------------------------

def test_html_is_decoded_from_its_declared_charset_and_titled():
    doc = read(FIXTURES / "update.html")
    assert "Café owners" in doc.text  # windows-1252, declared by <meta charset>
    assert reading.title(doc, True) == "Camp 99 Update – 2012"
    for hidden in ("99,999", "77,777", "55,555", "66,666", "<p>"):
        assert hidden in doc.text and hidden not in doc.clean, hidden


def test_bom_utf16_markdown_and_text_titles(tmp_path):
    bom = _doc(tmp_path, "bom.txt", b"\xef\xbb\xbfCamp 15 notes\n\nCamp 15 held prisoners.\n")
    doc = read(bom)
    assert doc.text.startswith("Camp 15 notes") and reading.title(doc, False) == "Camp 15 notes"
    wide = _doc(tmp_path, "wide.txt", "Camp 16 notes\n".encode("utf-16"))
    assert read(wide).text == "Camp 16 notes\n"
    md = _doc(tmp_path, "n.md", "Some preface line\n\n## Field notes: *Camp 15* ##\n\ntext\n")
    assert reading.title(read(md), False) == "Field notes: *Camp 15*"
    wiki = _doc(tmp_path, "w.txt", "Warning: x() failed in /a.php on line 3\n= Human rights =\n\ntext\n")
    assert reading.title(read(wiki), False) == "Human rights"


# -- bad inputs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, message", [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a binary file"),
    ("late-nul.txt", b"Camp 15\n" * 5000 + b"\x00tail", "a NUL byte at byte 40000"),
    ("latin1.txt", b"Camp 15\n" * 100 + b"Caf\xe9\n", "not valid UTF-8 text (byte 803: invalid continuation byte)"),
    ("cut.md", b"\xef\xbb\xbfabc\xc3", "not valid UTF-8 text (byte 6: unexpected end of data)"),
    ("empty.txt", b"", "the file is empty"),
    ("blank.md", b" \n\t\r\n\n", "the file is empty (nothing but blank space)"),
    ("doc.pdf", b"%PDF-1.4", "not a text, Markdown or HTML file"),
    ("odd.html", b'<html><head><meta charset="x-no-such"></head><body>Camp</body></html>', "unknown encoding 'x-no-such'"),
])
def test_bad_input_gets_one_clear_line_naming_the_file(tmp_path, name, data, message):
    path = _doc(tmp_path, name, data)
    with pytest.raises(ReadError) as err:
        list(Reader(path, block_chars=1000, chunk_bytes=4096))
    text = str(err.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


def test_unreadable_and_folder(tmp_path, monkeypatch):
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="a folder, not a file"):
        read(folder)
    target = _doc(tmp_path, "locked.txt", "Camp 15\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reading, "open", refuse, raising=False)
    with pytest.raises(ReadError, match=r"locked.txt: cannot be read \(Permission denied\)"):
        read(target)


# -- streaming ------------------------------------------------------------------------------------

@pytest.mark.parametrize("block", [300, 4096, 65536])
def test_blocks_cover_the_text_with_global_offsets(tmp_path, block):
    text = _prose(block, 800)
    path = _doc(tmp_path, "prose.txt", text)
    reader = Reader(path, block_chars=block, chunk_bytes=1024)
    blocks = list(reader)
    assert len(blocks) > 1
    assert "".join(b.text for b in blocks) == text == read(path).text
    base = 0
    for b in blocks:
        assert b.base == base and len(b.clean) == len(b.text) and len(b.text) <= block
        base += len(b.text)
    assert reader.chars == len(text) and reader.size == len(text.encode())
    # blocks end at a blank line when there is one in the second half of the block
    assert sum(b.text.endswith("\n") for b in blocks[:-1]) >= len(blocks) // 2


def test_html_scripts_and_comments_stay_blank_across_blocks(tmp_path):
    body = "<p>Camp 15 held 100 prisoners.</p>\n\n" * 40
    script = "<script>\n\n" + "var s = 'Camp 16 held 999 prisoners';\n\n" * 60 + "</script>\n\n"
    comment = "<!--\n\n" + "Camp 17 held 888 prisoners\n\n" * 60 + "-->\n\n"
    html = f"<html><head><title>T</title></head><body>\n\n{body}{script}{body}{comment}{body}</body></html>\n"
    path = _doc(tmp_path, "page.html", html)
    blocks = list(Reader(path, block_chars=512))
    clean = "".join(b.clean for b in blocks)
    assert clean == reading.clean_text(html, True)
    assert "Camp 16" not in clean and "Camp 17" not in clean and clean.count("Camp 15") == 120


def test_minified_html_without_line_breaks_is_cut_after_tags(tmp_path):
    html = "<html><body>" + "<p class='x'>Camp 15 held 100 prisoners.</p><script>var a = 'Camp 16';</script>" * 500 + "</body></html>"
    blocks = list(Reader(_doc(tmp_path, "min.html", html), block_chars=700))
    assert len(blocks) > 50 and all(b.text.endswith(">") for b in blocks)
    assert "".join(b.clean for b in blocks) == reading.clean_text(html, True)


def test_spans_are_checked_and_occurrences_counted_across_blocks(tmp_path):
    quote = "Camp 15 held up to 50,000 prisoners."
    filler = "Nothing to see here, just words.\n\n" * 40
    text = filler + quote + "\n\n" + filler + "x" + quote + quote + "\n\n" + filler + quote + "\n"
    path = _doc(tmp_path, "rep.txt", text)
    starts = []
    at = text.find(quote)
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    spans = [(s, s + len(quote), quote) for s in starts] + [(5, 20, quote), (len(text) + 5, len(text) + 9, "x")]
    for block in (64, 200, None):
        found, sha = spans_at(path, spans, block_chars=block)
        assert [occ for _, occ in found[:4]] == [1, 2, 3, 4]
        assert all(t == quote for t, _ in found[:4])
        assert found[4] == (text[5:20], None) and found[5] == (None, None)
        assert sha is not None


def test_expand_folders_recursively_sorted_without_hidden_files(tmp_path):
    for name in ("b.md", "a.txt", "sub/c.html", "sub/skip.pdf", ".hidden/d.txt", "sub/.e.txt"):
        p = tmp_path / "docs" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("Camp 15\n", encoding="utf-8")
    files, missing = reading.expand([tmp_path / "docs", tmp_path / "docs" / "a.txt", tmp_path / "nope.txt"])
    assert [f.relative_to(tmp_path / "docs").as_posix() for f in files] == ["a.txt", "b.md", "sub/c.html"]
    assert missing == [f"{tmp_path / 'nope.txt'}: no such file or folder"]


# -- a 200 MB file ---------------------------------------------------------------------------------

_MEASURE = """
import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
print(out.returncode)
sys.stderr.write(out.stdout + out.stderr)
"""


def _peak_mb(*args: str) -> tuple[int, int, str]:
    """Run the real command in a child of a fresh process and return the child's peak RSS (MB), exit code, output."""
    exe = str(Path(sys.executable).with_name("rightsgraph"))
    done = subprocess.run([sys.executable, "-c", _MEASURE, exe, *args], capture_output=True, text=True, timeout=300)
    peak, code = done.stdout.split()
    return int(peak), int(code), done.stderr


def test_a_200_mb_file_is_streamed_in_bounded_memory(tmp_path):
    """200 MB of blank lines with a candidate paragraph in every megabyte: found, at the right offsets, memory flat."""
    root = copy_project(tmp_path / "mini", "mini")
    big = tmp_path / "big.txt"
    blank = (" " * 99 + "\n") * 10_000  # 1 MB of blank lines
    with open(big, "w", encoding="utf-8") as fh:
        fh.write("Big Camp Notes\n\n")
        for i in range(200):
            fh.write(blank)
            fh.write(f"Camp 99 held up to {i + 1},000 prisoners in 2010, according to Example Watch.\n\n")
        fh.write(blank)
        fh.write("Camp 99 held up to 1,000 prisoners in 2010, according to Example Watch.\n")  # a repeated quote
    assert big.stat().st_size > 200_000_000
    small = _doc(tmp_path, "small.txt", "Small notes\n\nCamp 99 held up to 7,000 prisoners in 2010.\n")
    base_peak, code, _ = _peak_mb("--root", str(root), "extract", str(small), "--out", str(tmp_path / "out"))
    assert code == 0
    peak, code, output = _peak_mb("--root", str(root), "extract", str(big), "--out", str(tmp_path / "out"))
    assert code == 0, output
    assert "million characters read" in output  # progress for a large file
    assert peak - base_peak < 80, (peak, base_peak)  # the file is 200 MB; the blocks are 1 MB
    import yaml

    data = yaml.safe_load((tmp_path / "out" / "big.yaml").read_text(encoding="utf-8"))
    claims = data["claims"]
    assert len(claims) == 201
    with open(big, "rb") as fh:  # ASCII: byte offsets are character offsets
        for c in claims[::20] + claims[-2:]:
            start, end = c["offsets"]
            fh.seek(start)
            assert fh.read(end - start).decode() == c["quote"]
    assert claims[-1]["occurrence"] == 2 and "occurrence" not in claims[0]
    assert claims[0]["facts"]["prisonerCount"]["high"] == 1000


_TABLE_PIPE_AS_BEFORE = re.compile(r"(?:(?<=^)|(?<=[ \t]))\|(?=[ \t]|$)|\|\||^[ \t]*\{\||^[ \t]*\|[-}]", re.MULTILINE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["|", "||", " | ", "{|", "|-", "|}", "\t|", "\n", " ", "a", "Camp 15", "="]), max_size=30).map("".join))
def test_table_pipes_blanked_line_by_line_as_in_the_whole_text(text):
    whole = _TABLE_PIPE_AS_BEFORE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    if "=" not in text:  # (a wiki heading is blanked too)
        assert reading.clean_text(text) == whole


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_control_bytes_are_counted_as_one_by_one(data):
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    assert reading._is_binary(data) == (b"\x00" in head or controls > max(2, len(head) // 100))
