"""Key/value tables ("passports"): a 2-column table of labels and their values, with section rows.

A passport's long label can break over a page: the piece at the top of the next page then has a
key that starts in lower case and usually no value ("міжнародної технічної допомоги …" under
"Загальна сума витрачених … коштів"). The default stitching rule (an empty first cell continues
the row) does not see that, so `is_key_continuation` is the rule to `restitch` such tables with.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.model import Row, Table
from reader.stitch import default_is_continuation

ENDS_LABEL = (":",)
"""A key ending like this introduces the rows after it (categories), so it is complete."""


def is_key_continuation(previous: Row, cells: list[str], at_page_top: bool) -> bool:
    """Does a row piece continue the key/value row above it?

    Besides the default (a page-top piece with an empty key), a page-top piece continues the row
    when its key starts in lower case, its value is empty or starts in lower case, and the key
    above is not a complete label ending in ":" (the rows after such a label are its own
    lower-case sub-items, each with a value of its own).
    """
    if default_is_continuation(previous, cells, at_page_top):
        return True
    if not at_page_top or len(cells) < 2 or not previous.cells:
        return False
    key, value = cells[0].strip(), cells[1].strip()
    above = previous.cells[0].strip()
    return (
        key[:1].islower() and (not value or value[:1].islower()) and not above.endswith(ENDS_LABEL)
    )


@dataclass
class Field:
    """One key/value row of a passport, with the section row it sits under."""

    key: str
    value: str
    section: str | None
    row: Row


def fields(table: Table) -> list[Field]:
    """The table's data rows as key/value pairs (first two columns), group rows as sections."""
    out: list[Field] = []
    section: str | None = None
    for row in table.rows:
        if row.kind == "group":
            section = row.text
            continue
        cells = [*row.cells, "", ""]
        out.append(Field(cells[0].strip(), cells[1].strip(), section, row))
    return out
