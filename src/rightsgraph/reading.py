"""Reading documents for extraction: bytes to text, and a cleaned copy that keeps every offset.

A document is read into its original ``text`` and a ``clean`` copy of the same length in which markup
and scraping debris (HTML tags, scripts and styles, PHP/MySQL warning lines, wiki heading markers,
table pipes) are blanked with spaces, so that an index of ``clean`` is the same index of ``text``.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


@dataclass
class Document:
    """A document as read: its path, original text, cleaned text and the map from clean to original."""

    path: Path
    text: str
    clean: str
    offsets: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of ``clean`` to the same passage of ``text``."""
        if start >= end:
            return self.offsets[start] if start < len(self.offsets) else len(self.text), \
                self.offsets[start] if start < len(self.offsets) else len(self.text)
        return self.offsets[start], self.offsets[end - 1] + 1


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"^\s*(<!doctype\s+html|<html\b|<head\b|<body\b)", re.IGNORECASE)


def _decode(path: Path, data: bytes, is_html: bool) -> str:
    """Decode the bytes as UTF-8, or as the charset an HTML meta element declares."""
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif is_html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            encoding = m.group(1).decode("ascii").lower()
    try:
        return data.decode(encoding)
    except LookupError:
        raise ValueError(f"{path}: the page declares an unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid {encoding} text (byte {exc.start}: {exc.reason})") from None


def _is_binary(data: bytes) -> bool:
    """Tell binary data from text by NUL bytes and the share of control characters in its first 8 KB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 100)


def read(path: str | os.PathLike) -> Document:
    """Read a .txt, .md or .html file into a Document, or raise a ValueError naming the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: not a text, Markdown or HTML file (expected one of {', '.join(sorted(SUFFIXES))})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise ValueError(f"{path}: the file is empty")
    if _is_binary(data):
        raise ValueError(f"{path}: a binary file, not text")
    text = _decode(path, data, suffix in (".html", ".htm"))
    if not text.strip():
        raise ValueError(f"{path}: the file is empty")
    is_html = suffix in (".html", ".htm") or bool(_HTML_SNIFF.match(text[:1000]))
    clean = clean_text(text, is_html)
    return Document(path, text, clean, list(range(len(text))))


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
        clean = _SCRIPT.sub(lambda m: _blank(m.group(0)), clean)
        clean = _COMMENT.sub(lambda m: _blank(m.group(0)), clean)
        clean = _TAG.sub(_blank_tag, clean)
        clean = _ENTITY.sub(_decode_entity, clean)
        clean = clean.replace("\xa0", " ")
    clean = _PHP_WARNING.sub(lambda m: _blank(m.group(0)), clean)
    clean = _WIKI_HEADING.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(3) + " " * len(m.group(4)) + m.group(5),
                              clean)
    clean = _TABLE_PIPE.sub(lambda m: _blank(m.group(0)), clean)
    assert len(clean) == len(text)
    return clean
