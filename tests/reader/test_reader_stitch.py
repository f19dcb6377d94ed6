"""Row pieces to logical rows: the default rule, content rules, merged and spanned cells."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from reader_golden import read_sample

from reader import Row, RowPart, Table, default_is_continuation, restitch
from reader.pdf import _lost_chars
from reader.stitch import build_rows


def _part(cells: list[str], page: int, top: bool = False, **kw) -> RowPart:
    return RowPart(cells=cells, page=page, at_page_top=top, **kw)


def test_page_top_piece_with_empty_first_cell_continues_the_row() -> None:
    rows = build_rows(
        [
            _part(["1", "Зміст українсько-", "ДОЗ"], 1),
            _part(["", "білоруської кордону", "ДМС"], 2, top=True),
            _part(["2", "Інший", ""], 2),
        ]
    )
    assert [r.cells for r in rows] == [
        ["1", "Зміст українсько-білоруської кордону", "ДОЗ ДМС"],
        ["2", "Інший", ""],
    ]
    assert (rows[0].page_first, rows[0].page_last) == (1, 2)
    assert [r.index for r in rows] == [0, 1]
    assert len(rows[0].parts) == 2


def test_piece_not_at_page_top_is_a_new_row() -> None:
    rows = build_rows([_part(["1", "a"], 1), _part(["", "b"], 1)])
    assert len(rows) == 2


def test_group_rows_never_continue_or_get_continued() -> None:
    rows = build_rows(
        [
            _part(["Розділ 1. Загальне"], 1, kind="group"),
            _part(["", "b"], 2, top=True),
            _part(["Розділ 2."], 3, top=True, kind="group"),
        ]
    )
    assert [r.kind for r in rows] == ["group", "data", "group"]


def test_continuation_of_a_merged_cell_goes_to_its_owner() -> None:
    rows = build_rows(
        [
            _part(["1.", "plan 1", "actual starts"], 2),
            _part(["2.", "plan 2", ""], 2, vmerge=[2]),
            _part(["", "", "actual goes on"], 3, top=True),
        ]
    )
    assert rows[0].cells[2] == "actual starts actual goes on"
    assert rows[1].cells[2] == ""
    assert rows[0].page_last == 3 and rows[1].page_last == 3


def test_continuation_of_a_spanned_cell_goes_to_the_span_start() -> None:
    rows = build_rows(
        [
            _part(["19", "Оскарження", "text", "", ""], 3, span={2: 3}),
            _part(["", "", "", "more", ""], 4, top=True),
        ]
    )
    assert rows[0].cells == ["19", "Оскарження", "text more", "", ""]


def test_default_predicate() -> None:
    row = Row(kind="data", cells=["1", "x"], index=0)
    assert default_is_continuation(row, ["", "y"], True)
    assert not default_is_continuation(row, ["", "y"], False)
    assert not default_is_continuation(row, ["2", "y"], True)


@pytest.fixture(scope="module")
def anticorruption() -> Table:
    (table,) = read_sample("anticorruption_2019", "pdf").tables
    return table


def test_restitch_with_the_default_rule_gives_the_same_rows(anticorruption: Table) -> None:
    again = restitch(anticorruption, default_is_continuation)
    assert [r.cells for r in again.rows] == [r.cells for r in anticorruption.rows]
    assert [(r.page_first, r.page_last) for r in again.rows] == [
        (r.page_first, r.page_last) for r in anticorruption.rows
    ]


def test_restitch_never_continuing_keeps_every_piece(anticorruption: Table) -> None:
    pieces = sum(len(r.parts) for r in anticorruption.rows)
    apart = restitch(anticorruption, lambda prev, cells, top: False)
    assert len(apart.rows) == pieces > len(anticorruption.rows)
    assert all(len(r.parts) == 1 for r in apart.rows)


def test_restitch_with_a_content_rule(anticorruption: Table) -> None:
    """A type layer's rule: an "N) …" sub-item at the page top is a new row, not a continuation."""

    def is_continuation(prev: Row, cells: list[str], top: bool) -> bool:
        return top and cells[0] == "" and not re.match(r"\d+\) ", cells[1])

    again = restitch(anticorruption, is_continuation)
    assert [r.cells for r in again.rows] == [r.cells for r in anticorruption.rows]


def test_restitch_on_docx_rows_keeps_them() -> None:
    (table,) = read_sample("service_card_immigration", "docx").tables
    again = restitch(table, default_is_continuation)
    assert [r.cells for r in again.rows] == [r.cells for r in table.rows]


def test_characters_outside_every_cell_are_counted() -> None:
    """A split row whose page-break edge has no ruling line loses text: count what is lost."""
    table = SimpleNamespace(bbox=(0, 0, 100, 100), cells=[(0, 0, 100, 50)])
    chars = [
        {"text": "a", "x0": 10, "x1": 12, "top": 10, "bottom": 12},
        {"text": "b", "x0": 10, "x1": 12, "top": 70, "bottom": 72},
        {"text": " ", "x0": 14, "x1": 16, "top": 70, "bottom": 72},
    ]
    assert _lost_chars(chars, table) == 1


def test_a_content_rule_can_continue_a_row_whose_first_cell_is_filled() -> None:
    """IMMIS passport in the seed: a key goes on after a page break in its own (first) cell."""

    def is_continuation(prev: Row, cells: list[str], top: bool) -> bool:
        return top and cells[0][:1].islower()

    parts = [
        _part(["Загальна сума витрачених під час реалізації коштів", "189 320 690,92"], 1),
        _part(["міжнародної технічної допомоги на кінець періоду:", ""], 2, top=True),
        _part(["обладнання", "Сума"], 2),
    ]
    rows = build_rows(parts, is_continuation)
    assert [r.cells[0] for r in rows] == [
        "Загальна сума витрачених під час реалізації коштів міжнародної технічної допомоги"
        " на кінець періоду:",
        "обладнання",
    ]
    assert len(build_rows(parts)) == 3


HEADER = [["№ п/п", "Зміст заходу", "Виконавець"]]


def test_repeated_header_is_dropped_wherever_it_falls() -> None:
    """After a row that ended at the page foot, after an empty sliver, twice on one page."""
    from reader.pdf import _body

    texts = [
        ["1", "Захід", "ДОЗ"],
        HEADER[0],
        ["", "", ""],
        HEADER[0],
        ["2", "Інший", "ДМС"],
        HEADER[0],
    ]
    parts = [_part(list(t), 1) for t in texts]
    assert [p.cells for p in _body(parts, texts, HEADER)] == [texts[0], texts[4]]
    assert _body(parts, texts, []) == [p for p in parts if any(p.cells)]


def test_long_first_cell_split_by_the_page_continues_the_row() -> None:
    """reportlab splits a row inside a long first cell: the piece goes on in lower case."""
    previous = Row(kind="data", cells=["7. Визначені процеси, запущені", "на основі", ""], index=0)
    split = ["інституційні зміни.", "процесів.", "ДМС, розроблено"]
    assert default_is_continuation(previous, split, True)
    assert not default_is_continuation(previous, split, False)
    # a lower-case key with its own value (a passport's sub-item) starts a row
    assert not default_is_continuation(previous, ["адміністративні витрати", "Відсутня"], True)
    ended = Row(kind="data", cells=["7. Визначені процеси.", "", ""], index=0)
    assert not default_is_continuation(ended, split, True)
