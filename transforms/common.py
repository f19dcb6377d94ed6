"""What every document type needs from a Document: its title and its report year."""

from __future__ import annotations

import re

from reader.model import Document

YEAR_PATTERNS: tuple[str, ...] = (
    r"(?i)\bза\s+((?:19|20)\d\d)\s+р",  # "за 2021 рік", "за 2021 р."
    r"(?i)\bна\s+((?:19|20)\d\d)\s+р",  # "Антикорупційна програма … на 2019 рік"
    r"\b((?:19|20)\d\d)\s+р",
)
"""Tried in order on the title: the period a report covers beats any other year it names."""


def report_title(doc: Document) -> str:
    """The title lines before the first table, joined with single spaces."""
    return re.sub(r"\s+", " ", " ".join(doc.title_lines)).strip()


def report_year(doc: Document) -> int | None:
    """The year the report covers, from its title ("… за 2021 рік"); None when not stated."""
    title = report_title(doc)
    for pattern in YEAR_PATTERNS:
        m = re.search(pattern, title)
        if m:
            return int(m.group(1))
    return None
