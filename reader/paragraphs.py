"""Free text around tables: PDF lines grouped back into paragraphs, paragraphs into sections.

A PDF gives one `Paragraph` per drawn line; a DOCX gives whole paragraphs. Reports put free-text
sections after their tables ("4. Узагальнена оцінка …" then its paragraphs), and a type module
needs them as paragraphs, not lines. Given the lines' boxes, a line starts a new paragraph when it
is indented (a first-line indent), when the line before it stopped short of the right edge, when
the gap above it is wider than a line, or when its weight (bold) differs. Lines without a box
(DOCX, or built by hand) are taken as whole paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.model import Block, Paragraph, Table
from reader.text import join_pieces

DEFAULT_INDENT_RATIO = 1.0
"""A line whose left edge is this many line heights right of the run's left edge is indented."""
DEFAULT_SHORT_RATIO = 2.5
"""A line that ends this many line heights before the run's right edge ends its paragraph."""
DEFAULT_GAP_RATIO = 0.8
"""A vertical gap wider than this many line heights between two lines separates paragraphs."""
HEADING_RE = r"^\s*\d+(?:\.\d+)*\.\s+\S"
"""A numbered heading: "4. Узагальнена оцінка …", "5. Проблемні питання …"."""


@dataclass(frozen=True)
class ParagraphSettings:
    """How lines are grouped; ratios are in line heights."""

    indent_ratio: float = DEFAULT_INDENT_RATIO
    short_ratio: float = DEFAULT_SHORT_RATIO
    gap_ratio: float = DEFAULT_GAP_RATIO

    def __post_init__(self) -> None:
        for name in ("indent_ratio", "short_ratio", "gap_ratio"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")


DEFAULT_PARAGRAPH_SETTINGS = ParagraphSettings()


@dataclass
class Section:
    """A heading and the paragraphs under it, up to the next heading."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    page: int | None = None

    @property
    def text(self) -> str:
        """The paragraphs joined with newlines."""
        return "\n".join(self.paragraphs)


def _continues(
    prev: Paragraph, line: Paragraph, left: float, right: float, settings: ParagraphSettings
) -> bool:
    """Does `line` go on with the paragraph whose last line is `prev`?"""
    if prev.bbox is None or line.bbox is None or prev.bold != line.bold:
        return False
    height = max(prev.bbox[3] - prev.bbox[1], 1.0)
    if line.bbox[0] - left > settings.indent_ratio * height:
        return False
    if right - prev.bbox[2] > settings.short_ratio * height:
        return False
    gap = line.bbox[1] - prev.bbox[3]
    return prev.page != line.page or gap <= settings.gap_ratio * height


def merge_lines(
    lines: list[Paragraph], settings: ParagraphSettings = DEFAULT_PARAGRAPH_SETTINGS
) -> list[Paragraph]:
    """Consecutive lines of one paragraph joined (hyphen wraps without a space)."""
    boxed = [p.bbox for p in lines if p.bbox is not None]
    if not boxed:
        return list(lines)
    left = min(b[0] for b in boxed)
    right = max(b[2] for b in boxed)
    out: list[Paragraph] = []
    last: Paragraph | None = None
    for line in lines:
        if out and last is not None and _continues(last, line, left, right, settings):
            out[-1].text = join_pieces(out[-1].text, line.text)
        else:
            out.append(Paragraph(line.text, line.page, line.bold, line.bbox))
        last = line
    return out


def blocks_after(blocks: list[Block], table: Table) -> list[Paragraph]:
    """The paragraphs after `table` up to the next table."""
    out: list[Paragraph] = []
    seen = False
    for b in blocks:
        if b is table:
            seen = True
        elif isinstance(b, Table):
            if seen:
                break
        elif seen:
            out.append(b)
    return out


def sections(
    paragraphs: list[Paragraph],
    heading_re: str = HEADING_RE,
    settings: ParagraphSettings = DEFAULT_PARAGRAPH_SETTINGS,
) -> tuple[list[Section], list[str]]:
    """Numbered sections and the paragraphs after the last one's body that are not in it.

    A heading is a line matching `heading_re`; in a PDF it must also be bold or stand alone (the
    lines of a body paragraph that merely starts with a number are joined before this check).
    Returns (sections, trailing): `trailing` holds the bold paragraphs after the last section's
    body (the signer's position and name).
    """
    merged = merge_lines(paragraphs, settings)
    out: list[Section] = []
    trailing: list[str] = []
    for p in merged:
        if re.match(heading_re, p.text) and (p.bold or p.bbox is None):
            out.append(Section(p.text, page=p.page))
            trailing = []
        elif out and not p.bold and not trailing:
            out[-1].paragraphs.append(p.text)
        else:
            trailing.append(p.text)
    return out, trailing
