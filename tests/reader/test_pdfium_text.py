"""The pdfium engine's fast copies of pdfplumber's text steps give pdfplumber's answers: line
clustering (`_cluster` against `cluster_objects`) and characters per cell (`_by_cell` against
testing every character against every cell), on generated inputs with ties, shared edges,
overlapping cells and NaN."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils.clustering import cluster_objects

from reader.pdfium import _by_cell, _cluster

coordinate = st.one_of(
    st.integers(-20, 60).map(float),  # ties and values exactly `tol` apart
    st.floats(-20, 60, allow_nan=False),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(coordinate, st.integers(0, 9)), max_size=40), st.sampled_from([0, 3]))
def test_cluster_is_pdfplumbers(objects: list[tuple[float, int]], tol: float) -> None:
    key = lambda o: o[0]  # noqa: E731
    assert _cluster(objects, key, tol) == cluster_objects(objects, key, tol)


def test_cluster_leaves_nan_to_pdfplumber() -> None:
    objects = [(1.0, 0), (math.nan, 1), (2.0, 2)]
    key = lambda o: o[0]  # noqa: E731
    got, want = _cluster(objects, key, 3), cluster_objects(objects, key, 3)
    assert [[o[1] for o in c] for c in got] == [[o[1] for o in c] for c in want]


def brute_force(cells, picked, h_mid, v_mid):  # type: ignore[no-untyped-def]
    """What `_Table.extract` did before: every character against every cell."""
    return [
        None
        if cell is None
        else [i for i in picked if cell[0] <= h_mid[i] < cell[2] and cell[1] <= v_mid[i] < cell[3]]
        for cell in cells
    ]


cell = st.one_of(
    st.none(),
    st.tuples(coordinate, coordinate, coordinate, coordinate).map(
        lambda c: (min(c[0], c[2]), min(c[1], c[3]), max(c[0], c[2]), max(c[1], c[3]))
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(cell, max_size=6),
    st.lists(st.tuples(coordinate, coordinate), max_size=40),
    st.booleans(),
)
def test_by_cell_is_every_character_against_every_cell(
    cells: list, mids: list[tuple[float, float]], with_nan: bool
) -> None:
    h_mid = [h for h, _ in mids]
    v_mid = [v for _, v in mids]
    if with_nan and mids:
        h_mid[len(mids) // 2] = math.nan
    picked = list(range(len(mids)))
    assert _by_cell(cells, picked, h_mid, v_mid) == brute_force(cells, picked, h_mid, v_mid)


def test_by_cell_splits_a_row_of_touching_cells() -> None:
    """The common case: cells sharing their edges, a character exactly on an edge belongs to
    the cell on its right, one below a short cell to no cell."""
    cells = [(0.0, 0.0, 10.0, 20.0), None, (10.0, 0.0, 30.0, 10.0)]
    h_mid = [5.0, 10.0, 29.9, 30.0, 12.0]
    v_mid = [5.0, 5.0, 5.0, 5.0, 15.0]
    assert _by_cell(cells, [0, 1, 2, 3, 4], h_mid, v_mid) == [[0], None, [1, 2]]
