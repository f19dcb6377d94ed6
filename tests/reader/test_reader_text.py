"""Cell text normalisation and the settings' checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader import ReaderSettings
from reader.text import collapse, join_pieces, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Термін\nвиконання", "Термін виконання"),
        ("українсько-\nбілоруської", "українсько-білоруської"),
        ("№ 4.1.2-\n567/1-21", "№ 4.1.2-567/1-21"),
        ("перелік:\n- перший", "перелік: - перший"),
        ("слово -\nтире", "слово - тире"),
        ("№ п/\nп", "№ п/п"),
        ("та/\nабо", "та/або"),
        ("  a \t b \n\n c ", "a b c"),
        (None, ""),
        ("", ""),
    ],
)
def test_normalise(raw: str | None, expected: str) -> None:
    assert normalise(raw) == expected


def test_join_pieces() -> None:
    assert join_pieces("", "b") == "b"
    assert join_pieces("a", "") == "a"
    assert join_pieces("ресурсно-", "господарського") == "ресурсно-господарського"
    assert join_pieces("a", "b") == "a b"


@given(st.text())
def test_normalise_is_collapsed_and_idempotent(text: str) -> None:
    out = normalise(text)
    assert out == collapse(out)
    assert normalise(out) == out
    assert "\n" not in out and "  " not in out


@given(st.lists(st.text(alphabet="аб -\n1", max_size=8), max_size=6))
def test_normalise_keeps_every_visible_character(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert sorted(normalise(text).replace(" ", "")) == sorted(
        text.replace(" ", "").replace("\n", "")
    )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"snap_tolerance": -1}, "snap_tolerance"),
        ({"column_tolerance": "3"}, "column_tolerance"),
        ({"page_margin_ratio": 0.7}, "page_margin_ratio"),
        ({"max_header_rows": 0}, "max_header_rows"),
        ({"max_zip_entries": 1.5}, "max_zip_entries"),
        ({"max_compression_ratio": 1}, "max_compression_ratio"),
        ({"extra_table_settings": []}, "extra_table_settings"),
    ],
)
def test_settings_name_the_bad_setting(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        ReaderSettings(**kwargs)


def test_table_settings_use_the_lines_strategy() -> None:
    settings = ReaderSettings(extra_table_settings={"edge_min_length": 5})
    ts = settings.table_settings()
    assert ts["vertical_strategy"] == ts["horizontal_strategy"] == "lines"
    assert ts["edge_min_length"] == 5
