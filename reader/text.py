"""Cell and paragraph text normalisation shared by the PDF and DOCX readers."""

from __future__ import annotations

import re
from typing import Any

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_HYPHEN_WRAP = re.compile(r"[^\W_]-$")
"""A letter or digit followed by a hyphen at the end of a line: a word or number wrapped at its
hyphen ("українсько-" / "білоруської", "№ 4.1.2-" / "567/1-21", "2017-" / "2020"), joined
without a space. A hyphen after a space is a dash and keeps the space."""
_SLASH_WRAP = re.compile(r"\S/$")
"""A slash at the end of a line after a character: "п/" / "п", "та/" / "або", a URL path; the
break came from a narrow column, so the pieces join without a space."""


def collapse(text: str) -> str:
    """Collapse runs of whitespace (newlines and tabs included) to one space and strip."""
    return _SPACES.sub(" ", text).strip()


def join_pieces(left: str, right: str) -> str:
    """Join two normalised pieces of one text: with a space, or with nothing after a hyphen wrap."""
    if not left:
        return right
    if not right:
        return left
    # both patterns end at `$`: a match starts at most 3 characters before the end (before a
    # final newline), so only the tail is searched (`left` grows along a long cell)
    tail = max(len(left) - 3, 0)
    if _HYPHEN_WRAP.search(left, tail) or _SLASH_WRAP.search(left, tail):
        return left + right
    return f"{left} {right}"


def normalise(text: str | None) -> str:
    """Cell text from its lines: lines joined with one space (hyphen wraps without), collapsed."""
    if not text:
        return ""
    out = ""
    for line in text.splitlines():
        out = join_pieces(out, collapse(line))
    return out


def is_bold(chars: list[dict[str, Any]]) -> bool:
    """Every visible character is set in a bold face (by its font name: PDFs carry no weight)."""
    return bold_faces({c.get("fontname", "") for c in chars if c.get("text", "").strip()})


def bold_faces(fonts: set[str]) -> bool:
    """The visible characters' fonts (a few, for many characters) are all bold faces."""
    return bool(fonts) and all(_BOLD_FONT.search(font) for font in fonts)
