"""The shared helpers of `transforms.base`, on small inline tables."""

from __future__ import annotations

import polars as pl
import pytest

from reader.model import Row
from transforms.base import TableReport, cell_text, first_match
from transforms.columns import Column

REPORT = TableReport(
    "demo",
    (Column("no", "№", r"^№", required=False), Column("name", "Назва", r"назв")),
    r"(?i)звіт",
    no_table_message="no table",
    group_column="name",
    reference_fields={"name": "name"},
    status_classes=(("done", r"виконано"),),
    status_values=("done", "unknown"),
)


def test_status_values_must_be_what_status_expr_writes() -> None:
    with pytest.raises(ValueError, match=r"demo\.status"):
        TableReport(
            "demo", (), "", "", "name", {}, status_classes=(("done", "x"),), status_values=("done",)
        )


def test_rows_frame_and_data_rows() -> None:
    rows = [
        Row("group", ["Розділ 1. Загальне"], 0, 1, 1),
        Row("data", ["1.", "  Перший \n захід "], 1, 1, 2),
        Row("data", [" ", ""], 2, 2, 2),  # a blank spacer row
    ]
    lf = REPORT.rows_frame(rows, {"no": 0, "name": 1})
    assert lf.collect()["name"].to_list() == ["Розділ 1. Загальне", "  Перший \n захід ", ""]
    data = REPORT.data_rows(lf).collect()
    assert data.select("no", "name", "page_last").rows() == [("1.", "Перший \n захід", 2)]


def test_status_expr_and_first_match() -> None:
    texts = pl.DataFrame({"t": ["Виконано", "триває", None]})
    got = texts.select(
        REPORT.status_expr(pl.col("t")).alias("status"),
        first_match(pl.col("t"), [("a", "три")]).alias("class"),
    )
    assert got.rows() == [("done", None), ("unknown", "a"), ("unknown", None)]
    assert pl.select(cell_text(pl.lit(" a \n b "), collapse=True)).item() == "a b"
    assert pl.select(cell_text(pl.lit("  "))).item() is None
