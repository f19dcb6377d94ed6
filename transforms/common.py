"""What every document type needs: a Document's title and report year, a frame's exact schema,
and a check that the values it writes are its vocabulary."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import polars as pl

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


def conform(lf: pl.LazyFrame, schema: Mapping[str, pl.DataType]) -> pl.LazyFrame:
    """Exactly the columns of `schema`, in its order and types: what every raw frame ends with."""
    return lf.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def check_vocabulary(name: str, emitted: Iterable[str], vocabulary: Iterable[str]) -> None:
    """Raise ValueError unless the values an expression can write are exactly its vocabulary:
    the Python list stays the one list that GX and dbt are checked against."""
    emitted, vocabulary = set(emitted), set(vocabulary)
    if emitted != vocabulary:
        raise ValueError(
            f"{name}: the code writes {sorted(emitted)} but the vocabulary is {sorted(vocabulary)}"
        )
