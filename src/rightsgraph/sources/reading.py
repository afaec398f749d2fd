"""Reading documents for extraction: bytes to text, and a cleaned copy that keeps every offset.

A document is read into its original ``text`` and a ``clean`` copy of the same length in which markup
and scraping debris (HTML tags, scripts and styles, PHP/MySQL warning lines, wiki heading markers,
table pipes) are blanked with spaces, so that an index of ``clean`` is the same index of ``text``.

Large files are streamed: :class:`Reader` decodes the file chunk by chunk and yields it as blocks of
about :data:`BLOCK_CHARS` characters, cut at paragraph boundaries, each a :class:`Document` whose
``base`` is its offset in the whole text. Memory then does not grow with the file: with 1 MB blocks a
200 MB file takes about 10 MB more than a small one (``tests/test_reading.py`` measures it), and a
block of dense prose some tens of MB while the rules run on it; what grows is only the list of
candidates found. Offsets are characters of the decoded text (a BOM is not text). A bad input raises
:class:`ReadError`, possibly after some blocks were yielded: write nothing until the iteration ends.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
HTML_SUFFIXES = {".html", ".htm"}
BLOCK_CHARS = 1 << 20
CHUNK_BYTES = 1 << 20


class ReadError(ValueError):
    """A document that cannot be read; the message names the file and what is wrong with it."""


@dataclass
class Document:
    """A document (or one block of it) as read: path, original text, cleaned text, map from clean to original, offset."""

    path: Path
    text: str
    clean: str
    offsets: Iterable[int]
    base: int = 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of ``clean`` to the same passage of ``text``."""
        if start >= end:
            at = self.offsets[start] if start < len(self.offsets) else len(self.text)
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"^\s*(<!doctype\s+html|<html\b|<head\b|<body\b)", re.IGNORECASE)


_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))  # deleted, the control bytes are left


def _is_binary(data: bytes) -> bool:
    """Tell binary data from text by NUL bytes and the share of control characters in its first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return controls > max(2, len(head) // 100)


def _encoding(head: bytes, is_html: bool) -> str:
    """The encoding of a file from its first bytes: a BOM, an HTML ``<meta charset>``, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if is_html:
        m = _META_CHARSET.search(head[:4096])
        if m:
            return m.group(1).decode("ascii").lower()
    return "utf-8"


def _split_point(text: str, limit: int) -> int:
    """Where to cut a block of at most ``limit`` characters: after a blank line, a line, a tag or a space, else at the limit."""
    lo = limit // 2
    i = text.rfind("\n", lo, limit)
    while i >= lo:
        j = text.rfind("\n", lo, i)
        if j < 0:
            break
        if not text[j + 1:i].strip():
            return i + 1
        i = j
    for mark in ("\n", ">", " "):
        i = text.rfind(mark, lo, limit)
        if i >= 0:
            return i + 1
    return limit


class Reader:
    """A document streamed as blocks cut at paragraph boundaries, checked as it goes (then ``sha256``, ``size``, ``chars``)."""

    def __init__(self, path: str | os.PathLike, block_chars: int | None = BLOCK_CHARS, clean: bool = True,
                 chunk_bytes: int = CHUNK_BYTES):
        self.path = Path(path)
        self.block_chars = block_chars
        self.clean = clean
        self.chunk_bytes = chunk_bytes
        self.sha256: str | None = None
        self.size = 0
        self.chars = 0
        self.blocks = 0
        self.encoding = "utf-8"
        self.is_html = self.path.suffix.lower() in HTML_SUFFIXES

    def fail(self, message: str) -> ReadError:
        """The error of this file, naming it."""
        return ReadError(f"{self.path}: {message}")

    def __iter__(self) -> Iterator[Document]:
        path = self.path
        if self.path.suffix.lower() not in SUFFIXES:
            raise self.fail(f"not a text, Markdown or HTML file (expected one of {', '.join(sorted(SUFFIXES))})")
        if path.is_dir():
            raise self.fail("a folder, not a file")
        try:
            fh = open(path, "rb")
        except OSError as exc:
            raise self.fail(f"cannot be read ({exc.strerror})") from None
        with fh:
            yield from self._blocks(fh)

    def _read(self, fh, n: int) -> bytes:
        try:
            return fh.read(n)
        except OSError as exc:
            raise self.fail(f"cannot be read ({exc.strerror})") from None

    def _blocks(self, fh) -> Iterator[Document]:
        digest = hashlib.sha256()
        data = self._read(fh, max(self.chunk_bytes, 8192))
        if not data:
            raise self.fail("the file is empty")
        self.encoding = _encoding(data, self.is_html)
        wide = self.encoding.startswith("utf-16")
        if not wide and _is_binary(data):
            raise self.fail("a binary file, not text")
        try:
            decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        except LookupError:
            raise self.fail(f"the page declares an unknown encoding {self.encoding!r}") from None
        pending: list[str] = []
        pending_chars = 0
        byte_pos = 0
        base = 0
        state: str | None = None
        has_text = False
        first = True
        while True:
            final = not data
            digest.update(data)
            nul = -1 if wide else data.find(b"\x00")
            if nul >= 0:
                raise self.fail(f"a binary file, not text (a NUL byte at byte {byte_pos + nul})")
            try:
                buffered = len(decoder.getstate()[0])
                piece = decoder.decode(data, final=final)
            except UnicodeDecodeError as exc:
                at = byte_pos - buffered + exc.start + (3 if self.encoding == "utf-8-sig" and byte_pos == 0 else 0)
                name = "UTF-8" if self.encoding.startswith("utf-8") else self.encoding
                raise self.fail(f"not valid {name} text (byte {at}: {exc.reason})") from None
            if wide and "\x00" in piece:
                raise self.fail("a binary file, not text (a NUL character)")
            byte_pos += len(data)
            if first:
                first = False
                if not self.is_html and _HTML_SNIFF.match(piece[:1000]):
                    self.is_html = True
            if piece:
                has_text = has_text or not piece.isspace()
                pending.append(piece)
                pending_chars += len(piece)
            while self.block_chars and pending_chars >= self.block_chars:
                text = "".join(pending)
                cut = _split_point(text, self.block_chars)
                block, rest = text[:cut], text[cut:]
                pending, pending_chars = ([rest], len(rest)) if rest else ([], 0)
                doc, state = self._document(block, base, state)
                base += len(block)
                yield doc
            if final:
                break
            data = self._read(fh, self.chunk_bytes)
        if not has_text:
            raise self.fail("the file is empty (nothing but blank space)")
        if pending:
            text = "".join(pending)
            doc, state = self._document(text, base, state)
            base += len(text)
            yield doc
        self.size = byte_pos
        self.chars = base
        self.sha256 = digest.hexdigest()

    def _document(self, text: str, base: int, state: str | None) -> tuple[Document, str | None]:
        self.blocks += 1
        if not self.clean:
            return Document(self.path, text, text, range(len(text)), base), None
        clean, state = clean_block(text, self.is_html, state)
        return Document(self.path, text, clean, range(len(text)), base), state


def read(path: str | os.PathLike) -> Document:
    """Read a .txt, .md or .html file whole into a Document, or raise a ReadError (a ValueError) naming the file."""
    reader = Reader(path, block_chars=None)
    docs = list(reader)
    return docs[0]


def read_text(path: str | os.PathLike) -> str:
    """The decoded text of a file as extraction reads it (BOM, declared charset), without cleaning."""
    return "".join(doc.text for doc in Reader(path, clean=False))


def _blank(s: str) -> str:
    """Spaces in place of every character but newlines, so that lengths and lines are kept."""
    return re.sub(r"[^\n]", " ", s)


_SCRIPT = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?(</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
_TAG = re.compile(r"<[!?/]?[A-Za-z][^<>]*>|<!\[CDATA\[|\]\]>")
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_TAG = re.compile(r"^</?(p|div|br|li|tr|td|th|h[1-6]|ul|ol|table|section|article|header|footer|title|blockquote)\b",
                        re.IGNORECASE)
_PHP_WARNING = re.compile(
    r"^[ \t]*(Warning|Notice|Fatal error|Deprecated|Parse error|Strict Standards)[ \t]*:.*\bon line[ \t]*\d+[ \t]*$",
    re.MULTILINE)
_WIKI_HEADING = re.compile(r"^([ \t]*)(=+)([^\n]*?)(=+)([ \t]*)$", re.MULTILINE)
_TABLE_PIPE = re.compile(r"(?:(?<=^)|(?<=[ \t]))\|(?=[ \t]|$)|\|\||^[ \t]*\{\||^[ \t]*\|[-}]", re.MULTILINE)
_RAW_TOKENS = re.compile(r"<(script|style|noscript|template)\b[^>]*>|</(script|style|noscript|template)\s*>|<!--|-->",
                         re.IGNORECASE)


def _decode_entity(m: re.Match) -> str:
    """An HTML entity decoded and padded with spaces to its own length."""
    decoded = html.unescape(m.group(0))
    if decoded == m.group(0) or len(decoded) > len(m.group(0)):
        return m.group(0)
    return decoded + " " * (len(m.group(0)) - len(decoded))


def _blank_tag(m: re.Match) -> str:
    """A tag blanked; a block-level tag leaves a line break (in place of one of its characters)."""
    tag = m.group(0)
    blanked = _blank(tag)
    if _BLOCK_TAG.match(tag) and "\n" not in tag:
        return "\n" + blanked[1:]
    return blanked


def clean_text(text: str, is_html: bool = False) -> str:
    """Blank markup and scraping debris with spaces, keeping the text's length and line breaks.

    >>> clean_text("== Camps ==\\n| Camp 15 | 46,500 |")
    '   Camps   \\n  Camp 15   46,500  '
    """
    clean = text
    if is_html:
        if "<" in clean:
            clean = _SCRIPT.sub(lambda m: _blank(m.group(0)), clean)
            clean = _COMMENT.sub(lambda m: _blank(m.group(0)), clean)
            clean = _TAG.sub(_blank_tag, clean)
        if "&" in clean:
            clean = _ENTITY.sub(_decode_entity, clean)
        clean = clean.replace("\xa0", " ")
    # each pattern only where its mark occurs: a long run of blank lines costs nothing
    if "on line" in clean:
        clean = _PHP_WARNING.sub(lambda m: _blank(m.group(0)), clean)
    if "=" in clean:
        clean = _WIKI_HEADING.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(3) + " " * len(m.group(4))
                                  + m.group(5), clean)
    if "|" in clean:  # line by line (no match crosses a line), only the lines with a pipe
        clean = "\n".join(_TABLE_PIPE.sub(lambda m: _blank(m.group(0)), line) if "|" in line else line
                          for line in clean.split("\n"))
    assert len(clean) == len(text)
    return clean


def _open_element(text: str, state: str | None = None) -> str | None:
    """The script-like element (or ``--`` for a comment) still open at the end of an HTML text, if any."""
    for m in _RAW_TOKENS.finditer(text):
        tok = m.group(0)
        if state is None:
            if tok == "<!--":
                state = "--"
            elif m.group(1):
                state = m.group(1).lower()
        elif state == "--":
            if tok == "-->":
                state = None
        elif m.group(2) and m.group(2).lower() == state:
            state = None
    return state


def clean_block(text: str, is_html: bool, state: str | None = None) -> tuple[str, str | None]:
    """Clean one block of a streamed document; ``state`` is the script, style or comment left open by the block before.

    >>> clean_block("x = 1;</script><b>Camp 15</b><script>var", True, "script")
    ('                  Camp 15               ', 'script')
    """
    if not is_html:
        return clean_text(text), None
    head = 0
    if state is not None:
        close = re.compile(r"-->" if state == "--" else rf"</{state}\s*>", re.IGNORECASE).search(text)
        if close is None:
            return _blank(text), state
        head = close.end()
    rest = text[head:]
    return _blank(text[:head]) + clean_text(rest, True), _open_element(rest)


_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _one_line(text: str, limit: int = 200) -> str:
    """Text on one line, its whitespace collapsed, cut at a word before ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " ..."
    return text


def title(doc: Document, is_html: bool) -> str | None:
    """The title of a document from its first block: the HTML title or h1, the first Markdown heading, or the first line."""
    found = None
    if is_html:
        for pattern in (_TITLE, _H1):
            m = pattern.search(doc.text)
            if m:
                found = _one_line(html.unescape(re.sub(r"<[^>]*>", " ", m.group(1))))
                if found:
                    return found
    elif doc.path is not None and Path(doc.path).suffix.lower() in (".md", ".markdown"):
        m = _MD_HEADING.search(doc.text)
        if m and m.group(1).strip("# \t"):
            return _one_line(m.group(1).strip("# \t"))
    for line in doc.clean.splitlines():
        if line.strip():
            return _one_line(line.strip("#*_ \t"))
    return None


def _trie_pattern(words: Iterable[str]) -> re.Pattern:
    """One regular expression matching any of ``words`` (all of one length), built as a trie so a text is read once."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        if len(alts) <= 1:
            return "".join(alts)
        return "(?:" + "|".join(alts) + ")"

    return re.compile(emit(trie))


def spans_at(path: str | os.PathLike, spans: list[tuple[int, int, str]], block_chars: int | None = BLOCK_CHARS,
             progress: Callable[[int], None] | None = None) -> tuple[list[tuple[str | None, int | None]], str | None]:
    """Stream a document once to check quotes: for each ``(start, end, quote)`` the text at those offsets and
    which occurrence of the quote starts there (1 = first, overlapping occurrences counted as claims.load finds
    them; None when the quote does not start there); and the file's sha256 (None when there was nothing to check)."""
    results: list[list] = [[None, None] for _ in spans]
    if not spans:
        return [], None
    by_quote: dict[str, list[int]] = {}
    for i, (start, _, quote) in enumerate(spans):
        if quote:
            by_quote.setdefault(quote, []).append(i)
    for idx in by_quote.values():
        idx.sort(key=lambda i: spans[i][0])
    counts = {q: 0 for q in by_quote}
    cursor = {q: 0 for q in by_quote}
    # every quote starts with one of these prefixes (all of one length): one pass of a trie pattern finds them all
    k = min((len(q) for q in by_quote), default=1)
    k = max(1, min(k, 24))
    groups: dict[str, list[str]] = {}
    for q in by_quote:
        groups.setdefault(q[:k], []).append(q)
    pattern = _trie_pattern(groups) if groups else None
    longest = max([len(q) for q in by_quote] + [e - s for s, e, _ in spans])
    unchecked = sorted(range(len(spans)), key=lambda i: spans[i][1])
    u = 0
    tail = ""
    reader = Reader(path, block_chars=block_chars, clean=False)
    for doc in reader:
        window = tail + doc.text
        wbase = doc.base - len(tail)
        wend = doc.base + len(doc.text)
        while u < len(unchecked) and spans[unchecked[u]][1] <= wend:
            i = unchecked[u]
            s, e, _ = spans[i]
            if s >= wbase and 0 <= s <= e:
                results[i][0] = window[s - wbase:e - wbase]
            u += 1
        m = pattern.search(window) if pattern is not None else None
        while m is not None:
            at = m.start()
            pos = wbase + at
            for q in groups[m.group()]:
                idx = by_quote[q]
                if cursor[q] >= len(idx) or pos + len(q) <= doc.base or not window.startswith(q, at):
                    continue  # done with this quote, counted in the block before, or not this quote
                counts[q] += 1
                while cursor[q] < len(idx) and spans[idx[cursor[q]]][0] < pos:
                    cursor[q] += 1
                while cursor[q] < len(idx) and spans[idx[cursor[q]]][0] == pos:
                    results[idx[cursor[q]]][1] = counts[q]
                    cursor[q] += 1
            m = pattern.search(window, at + 1)
        tail = window[-longest:] if longest else ""
        if progress:
            progress(wend)
    return [(text, occ) for text, occ in results], reader.sha256


def expand(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[str]]:
    """The files to read from files and folders (folders recursively: files of the known suffixes, sorted, hidden ones
    left out), and a message for each path that does not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()
                     and not any(part.startswith(".") for part in f.relative_to(p).parts)]
            files.extend(sorted(found))
        elif p.exists():
            files.append(p)
        else:
            missing.append(f"{p}: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, missing
