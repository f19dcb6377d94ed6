"""Administrative-service process cards ("Технологічна картка адміністративної послуги: …").

A card names one service, the order that approved it ("Затверджено / наказ ЦМУ ДМС … / від
18.05.2021 №75/аг") and one 5-column table of stages (№ з/п, stage, responsible official,
responsible unit, deadline). Three things make it more than a plain table:

* a stage cell can hold several sub-steps, one per deadline in its deadline cell (stage 7: "У
  день прийняття …" then "Не пізніше наступного робочого дня …"): the stage gives one row per
  step;
* numbering may jump (12 -> 18 in the immigration-permit card): kept as printed and listed in
  `numbering_gaps`;
* the last rows are two-cell rows ("19 | Оскарження | text across three columns", "20 |
  Примітка | …"): service attributes, not stages.

Output: one row per stage step (`service_card`) and one row per card (`service_card_services`).
Splitting cells into steps is done on the few cells of a card in plain Python while building the
rows frame (like every type's `rows_frame`); the deadline parsing is polars expressions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import polars as pl

from reader.errors import DocumentError
from reader.model import Document, Row
from transforms import columns
from transforms.base import (
    DOCUMENT_RECORD_KEY,
    RECORD_KEY,
    TableReport,
    cell_text,
    conform,
    declare_reasons,
)
from transforms.columns import Column, cell
from transforms.common import check_vocabulary
from transforms.references import TABLE_SCHEMA as REFERENCES_SCHEMA

DOC_TYPE = "service_card"
VERSION = "7"
"""Bump when this module's output changes: only service cards are read again."""
REASONS = declare_reasons(
    {
        "stage_numbering": "stage numbers are missing, repeated or out of order",
        "stage_steps": "a stage's steps cannot be told apart",
        "bad_order_date": "the approving order's date is not a valid date",
    }
)

COLUMNS: tuple[Column, ...] = (
    # "Строк виконання етапів" names stages too, so the deadline is claimed before the stage.
    # A card is its stages, who carries them out and in how many days; the official is often
    # folded into the unit column, so only the unit is required.
    columns.number_column("№ з/п"),
    Column(
        "deadline",
        "Строк виконання етапів (днів)",
        r"строк|термін|тривалість|кількість\s+днів",
        cells=columns.is_deadline,
    ),
    Column(
        "official",
        "Відповідальна посадова особа і структурний підрозділ",
        r"посадов\w*\s+особ|виконавець|відповідальн\w*\s+особ",
        required=False,
    ),
    Column(
        "unit",
        "Структурні підрозділи, відповідальні за етапи",
        r"підрозділ|відповідальн|орган|хто\s+викону",
        cells=columns.is_units,
    ),
    Column(
        "description",
        "Етапи адміністративної послуги",
        r"етап|зміст|дії|опис|перелік|послідовн",
    ),
)

TITLE_RE = r"(?i)технологічн\w*\s+картк\w*"
"""The card's title: "ТЕХНОЛОГІЧНА КАРТКА" / "ЗРАЗОК ТЕХНОЛОГІЧНОЇ КАРТКИ …"."""
CAPTION_RE = r"^\s*\(.*\)\s*$"
"""The caption under the service name: "(назва адміністративної послуги)"."""
APPROVAL_RE = r"(?i)^\s*затверджен"
ORDER_RE = (
    r"(?i)наказ\w*\s+(?P<body>.+?)\s+від\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
    r"\s*(?:р\.|року)?\s*№\s*(?P<number>[^\s_]+)"
)
"""The approving order, read from the approval lines joined: body, date and number."""
APPEAL_RE = r"(?i)оскарж"
NOTE_RE = r"(?i)приміт"

DEADLINE_STARTS = (
    r"Не\s+пізніше|Не\s+раніше|Під\s+час|У\s+день|В\s+день|Протягом|Впродовж|Упродовж|До\s+\d|"
    r"Щодня|Після|Негайно|Одразу"
)
"""How a deadline phrase opens: a deadline cell listing several of them holds several steps."""
_LOWER = "a-zа-яіїєґ’'"
_DEADLINE_SPLIT = re.compile(
    rf"(?<=[{_LOWER}.,;)»])\s+(?={DEADLINE_STARTS})"
    rf"|(?<=[.;])\s+(?=\d+\s+(?:календарн\w+\s+|робоч\w+\s+)?(?:дн|місяц|рок|рік))"
)
"""A phrase starting with a capital after a word ("… документів Не пізніше …"); one starting
with an amount ("30 днів …") only after a full stop, as "Протягом 15 днів" is one phrase."""
_SENTENCE_SPLIT = re.compile(rf"(?<=[\w»)]{{2}}[.;!?])\s+(?=[A-ZА-ЯІЇЄҐ][{_LOWER}\s]|«)")
"""A sentence end after a word ("… законодавства. У разі", "… та СБУ. Отримання"), not after a
one-letter abbreviation ("м. Києві", "р. № 1983")."""

NUMBER_WORDS: dict[str, int] = {
    "наступного": 1, "один": 1, "одного": 1, "одна": 1, "однієї": 1, "два": 2, "двох": 2,
    "дві": 2, "три": 3, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п'яти": 5,
    "шість": 6, "шести": 6, "сім": 7, "семи": 7, "десять": 10, "десяти": 10,
    "п'ятнадцять": 15, "п'ятнадцяти": 15, "двадцять": 20, "двадцяти": 20, "тридцять": 30,
    "тридцяти": 30, "сорок": 40, "сорока": 40, "шістдесят": 60, "шістдесяти": 60,
}  # fmt: skip
"""Number words a deadline uses, apostrophe normalised to "'"; "наступного дня" is one day."""
_AMOUNT = r"\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
DURATION_RE = (
    rf"(?i)(?:^|[\s(])({_AMOUNT})\s+(?:(робоч|календарн)\w*\s+)?"
    r"(дн|день|місяц|рок|рік|тижн|тиж)"
)
"""An amount, an optional day kind and a unit: "30 днів", "3 робочих днів", "одного року",
"наступного робочого дня". The first one written is the bound (a later "з наступного дня …"
only says when counting starts)."""
SAME_DAY_RE = r"(?i)\b(?:у|в)\s+день\b|\bпід\s+час\s+прийому\b|\bнегайно\b|\bодразу\b|\bщодня\b"
EVENT_RE = (
    r"(?i)(?:після|з\s+дня|з\s+дати|з\s+моменту|від\s+дня|від\s+дати|у\s+день|в\s+день)\s+"
    r"(.+?)(?:,\s*(?:але|проте)\b.*)?[.\s]*$"
)
"""What the deadline counts from: "… після прийняття рішення", "… з дати прийняття рішення"."""
SAME_DAY = "same_day"
UNKNOWN = "unknown"
DEADLINE_UNITS = (SAME_DAY, "calendar_days", "working_days", "weeks", "months", "years", UNKNOWN)
"""Every `deadline_unit` `add_duration` writes (it checks): the one list GX and dbt follow."""

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "service_card": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "source_file": pl.String(),
        "step_index": pl.Int32(),
        "stage_number_printed": pl.String(),
        "stage_number": pl.Int32(),
        "step_position": pl.Int32(),
        "stage_step_count": pl.Int32(),
        "description": pl.String(),
        "official": pl.String(),
        "unit": pl.String(),
        "deadline_text": pl.String(),
        "deadline_amount": pl.Int32(),
        "deadline_unit": pl.String(),
        "deadline_event": pl.String(),
        "page_first": pl.Int32(),
        "page_last": pl.Int32(),
    },
    "service_card_services": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "source_file": pl.String(),
        "title": pl.String(),
        "service_name": pl.String(),
        "approving_body": pl.String(),
        "order_date": pl.Date(),
        "order_number": pl.String(),
        "appeal_text": pl.String(),
        "note_text": pl.String(),
        "extra_rows": pl.List(
            pl.Struct({"number": pl.Int32(), "label": pl.String(), "text": pl.String()})
        ),
        "numbering_gaps": pl.List(pl.Struct({"after": pl.Int32(), "next": pl.Int32()})),
        "has_numbering_gaps": pl.Boolean(),
        "stage_count": pl.Int32(),
        "step_count": pl.Int32(),
        "signer_position": pl.String(),
        "signer_name": pl.String(),
    },
    "document_references": REFERENCES_SCHEMA,
}
REPORT = TableReport(
    DOC_TYPE,
    COLUMNS,
    TITLE_RE,
    no_table_message="the card has no table of stages",
    group_column="description",
    # Acts are cited in a stage's text ("… Постанові Кабінету Міністрів України від … № 1983").
    reference_fields={"description": "description", "deadline_text": "deadline_text"},
)
"""A card is a table report without statuses; its stages are split into steps by `steps_frame`."""
VOCABULARIES = REPORT.vocabularies(deadline_unit=DEADLINE_UNITS)
matches = REPORT.matches
titled = REPORT.titled


def _title_lines(doc: Document) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in doc.title_lines if t.strip()]


def split_deadlines(text: str) -> list[str]:
    """A deadline cell -> its deadline phrases ("У день … Не пізніше …" -> two)."""
    text = re.sub(r"\s+", " ", text).strip()
    return [p.strip() for p in _DEADLINE_SPLIT.split(text) if p.strip()] if text else []


def split_sentences(text: str) -> list[str]:
    """A stage description -> its sentences (the reader joins a cell's paragraphs with spaces)."""
    return [p.strip() for p in _SENTENCE_SPLIT.split(text.strip()) if p.strip()]


def _repeated(text: str, n: int) -> list[str] | None:
    """`text` as `n` copies of one piece joined by spaces, or None: stage 9's official cell
    names the same person once per step."""
    size = (len(text) - (n - 1)) // n
    piece = text[:size]
    if size > 0 and " ".join([piece] * n) == text:
        return [piece] * n
    return None


def _starts_with_lead(sentence: str, deadline: str) -> bool:
    """Does the sentence mention the deadline's lead phrase ("не пізніше наступного робочого")?"""
    lead = " ".join(deadline.lower().split()[:4])
    return bool(lead) and lead in sentence.lower()


def split_description(text: str, deadlines: list[str], stage: str) -> list[str]:
    """A stage description -> one text per deadline.

    One deadline: the whole cell. Several: one sentence each when the counts agree; with more
    sentences than deadlines, step k (k >= 2) starts at the first later sentence that mentions
    deadline k's lead phrase, else the last sentences are the later steps. Fewer sentences than
    deadlines cannot be split: DocumentError("stage_steps").
    """
    n = len(deadlines)
    if n <= 1:
        return [text]
    sentences = split_sentences(text)
    if len(sentences) < n:
        raise DocumentError(
            "stage_steps", f"stage {stage} lists {n} deadlines but {len(sentences)} step text(s)"
        )
    if len(sentences) == n:
        return sentences
    starts = [0]
    for k in range(1, n):
        latest = len(sentences) - (n - k)  # leave one sentence for each later step
        found = next(
            (
                i
                for i in range(starts[-1] + 1, latest + 1)
                if _starts_with_lead(sentences[i], deadlines[k])
            ),
            None,
        )
        starts.append(found if found is not None else latest)
    bounds = [*starts, len(sentences)]
    return [" ".join(sentences[a:b]) for a, b in itertools.pairwise(bounds)]


def _per_step(text: str, n: int) -> list[str]:
    return (_repeated(text, n) if n > 1 else None) or [text] * n


def stage_number(printed: str) -> int | None:
    """ "7" / "7." -> 7; None when the cell holds no number."""
    m = re.fullmatch(r"\s*(\d+)\s*\.?\s*", printed)
    return int(m.group(1)) if m else None


def is_extra_row(row: Row, mapping: dict[str, int]) -> bool:
    """A two-cell row ("19 | Оскарження | text"): a label where the stage text goes, the text
    spanning the last columns, no deadline of its own."""
    if row.span:
        return True
    cells = row.cells
    return bool(cell(cells, mapping, "description")) and not (
        cell(cells, mapping, "deadline") or cell(cells, mapping, "unit")
    )


def _extra_text(row: Row, mapping: dict[str, int]) -> str:
    """The text of a two-cell row: every non-empty cell after the label."""
    label_at = mapping["description"]
    no_at = mapping.get("no")
    rest = [c for i, c in enumerate(row.cells) if i not in (label_at, no_at) and c and c.strip()]
    return re.sub(r"\s+", " ", " ".join(rest)).strip()


def steps_frame(stages: list[Row], mapping: dict[str, int]) -> pl.LazyFrame:
    """Stage rows -> one row per step with its cells (text only, before parsing)."""
    keys = ("stage_number_printed", "stage_number", "step_position", "stage_step_count")
    data: dict[str, list[object]] = {k: [] for k in keys}
    data |= {k: [] for k in ("description", "official", "unit", "deadline_text")}
    data |= {"page_first": [], "page_last": []}
    for row in stages:
        printed = cell(row.cells, mapping, "no")
        number = stage_number(printed)
        deadline = cell(row.cells, mapping, "deadline")
        deadlines = split_deadlines(deadline) or [""]
        n = len(deadlines)
        descriptions = split_description(
            cell(row.cells, mapping, "description"), deadlines, printed
        )
        officials = _per_step(cell(row.cells, mapping, "official"), n)
        units = _per_step(cell(row.cells, mapping, "unit"), n)
        for k in range(n):
            data["stage_number_printed"].append(printed)
            data["stage_number"].append(number)
            data["step_position"].append(k + 1)
            data["stage_step_count"].append(n)
            data["description"].append(descriptions[k])
            data["official"].append(officials[k])
            data["unit"].append(units[k])
            data["deadline_text"].append(deadlines[k])
            data["page_first"].append(row.page_first)
            data["page_last"].append(row.page_last)
    schema = {k: pl.String for k in data} | {
        "stage_number": pl.Int32,
        "step_position": pl.Int32,
        "stage_step_count": pl.Int32,
        "page_first": pl.Int32,
        "page_last": pl.Int32,
    }
    return pl.LazyFrame(data, schema=schema)


def add_duration(lf: pl.LazyFrame, text: str, prefix: str = "deadline_") -> pl.LazyFrame:
    """Add `<prefix>amount|unit|event` parsed from the deadline phrase in column `text`.

    The amount is the longest the step may take in `unit`: "30 днів …" -> 30 calendar_days, "Не
    пізніше 3 робочих днів …" -> 3 working_days, "Протягом одного року …" -> 1 years, "Під час
    прийому у день звернення" -> 0 same_day; "У день …, але не пізніше наступного робочого дня"
    -> 1 working_days (the bound, not the hope).
    """
    low = pl.col(text).str.to_lowercase().str.replace_all(r"[’`ʼ]", "'")
    found = low.str.extract_groups(DURATION_RE)
    amount_word = found.struct.field("1")
    day_kind = found.struct.field("2")
    unit_word = found.struct.field("3")
    amount = pl.coalesce(
        amount_word.cast(pl.Int32, strict=False),  # a word is not a number: null, then looked up
        amount_word.replace_strict(NUMBER_WORDS, default=None, return_dtype=pl.Int32),
    )
    is_day = unit_word.is_in(["дн", "день"])
    rules = (  # (unit, when); the first that holds wins
        ("working_days", is_day & (day_kind == "робоч")),
        ("calendar_days", is_day),
        ("weeks", unit_word.is_in(["тижн", "тиж"])),
        ("months", unit_word == "місяц"),
        ("years", unit_word.is_in(["рок", "рік"])),
    )
    check_vocabulary("deadline_unit", [u for u, _ in rules] + [SAME_DAY, UNKNOWN], DEADLINE_UNITS)
    unit = pl.when(rules[0][1]).then(pl.lit(rules[0][0]))
    for name, holds in rules[1:]:
        unit = unit.when(holds).then(pl.lit(name))
    same_day = low.str.contains(SAME_DAY_RE)
    return lf.with_columns(
        pl.when(amount.is_not_null() & unit.is_not_null()).then(amount)
        .when(same_day).then(pl.lit(0, pl.Int32))
        .alias(f"{prefix}amount"),
        pl.when(pl.col(text).is_null()).then(pl.lit(None, pl.String))
        .when(amount.is_not_null() & unit.is_not_null()).then(unit)
        .when(same_day).then(pl.lit(SAME_DAY))
        .otherwise(pl.lit(UNKNOWN))
        .alias(f"{prefix}unit"),
        pl.col(text).str.extract(EVENT_RE).str.strip_chars(" ,.;").replace("", None)
        .alias(f"{prefix}event"),
    )  # fmt: skip


def steps(rows: pl.LazyFrame, source_sha256: str, source_file: str) -> pl.LazyFrame:
    """Step rows (cells) -> `service_card` rows (pure, lazy)."""
    return (
        rows.with_columns(
            *(
                cell_text(k, collapse=True).alias(k)
                for k in ("description", "official", "unit", "deadline_text")
            ),
        )
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(source_file, pl.String).alias("source_file"),
            pl.int_range(pl.len(), dtype=pl.Int32).alias("step_index"),
            pl.concat_str(
                pl.col("stage_number").cast(pl.String),
                pl.col("step_position").cast(pl.String),
                separator="|",
            ).alias(RECORD_KEY),
        )
        .pipe(add_duration, "deadline_text")
        .pipe(conform, SCHEMAS["service_card"])
    )


def numbering_gaps(numbers: list[int]) -> list[dict[str, int]]:
    """Jumps in the stage numbering ([1..12, 18] -> [{after: 12, next: 18}]).

    Numbers that repeat or go backwards are a misread table: DocumentError("stage_numbering").
    """
    gaps: list[dict[str, int]] = []
    for previous, number in itertools.pairwise(numbers):
        if number <= previous:
            raise DocumentError("stage_numbering", f"stage {number} follows stage {previous}")
        if number > previous + 1:
            gaps.append({"after": previous, "next": number})
    return gaps


def service_name(lines: list[str]) -> str | None:
    """The service the card is for: the text after "технологічна картка …:" on the title line,
    or the lines after it up to the caption "(назва адміністративної послуги)"."""
    for i, line in enumerate(lines):
        if not re.search(TITLE_RE, line):
            continue
        after = line.split(":", 1)[1].strip() if ":" in line else ""
        if after:
            return after
        names: list[str] = []
        for nxt in lines[i + 1 :]:
            if re.match(CAPTION_RE, nxt):
                break
            names.append(nxt)
        return " ".join(names).strip() or None
    return None


def card_title(lines: list[str]) -> str | None:
    """The title as printed: the lines after the approval block up to the "технологічна
    картка" line ("ЗРАЗОК" / "ТЕХНОЛОГІЧНОЇ КАРТКИ АДМІНІСТРАТИВНОЇ ПОСЛУГИ")."""
    at = next((i for i, line in enumerate(lines) if re.search(TITLE_RE, line)), None)
    if at is None:
        return None
    if ":" in lines[at]:
        return lines[at].split(":", 1)[0].strip()
    approved = [
        i for i, line in enumerate(lines[:at]) if re.search(r"\d{4}\s*(?:р\.|року)?\s*№", line)
    ]
    start = approved[-1] + 1 if approved else at
    return " ".join(lines[start : at + 1])


def approval(lines: list[str]) -> dict[str, object]:
    """Approving body, order date and number from the "Затверджено …" lines (PDF wraps them)."""
    out: dict[str, object] = {"approving_body": None, "order_date": None, "order_number": None}
    start = next((i for i, line in enumerate(lines) if re.match(APPROVAL_RE, line)), None)
    if start is None:
        return out
    text = " ".join(lines[start : start + 6])
    m = re.search(ORDER_RE, text)
    if m is None:
        return out
    try:
        date = dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        raise DocumentError("bad_order_date", "the approving order's date is not a date") from None
    return {
        "approving_body": m["body"].strip(),
        "order_date": date,
        "order_number": m["number"].strip(".,;"),
    }


def service(
    doc: Document, stage_numbers: list[int], extras: list[dict[str, object]], n_steps: int
) -> pl.LazyFrame:
    """The card's one `service_card_services` row."""
    lines = _title_lines(doc)
    title = card_title(lines)
    signature = [s for s in doc.signature_lines if s.strip()]
    appeal = next((e["text"] for e in extras if re.search(APPEAL_RE, str(e["label"]))), None)
    note = next((e["text"] for e in extras if re.search(NOTE_RE, str(e["label"]))), None)
    gaps = numbering_gaps(stage_numbers)
    row = {
        "source_sha256": doc.sha256,
        RECORD_KEY: DOCUMENT_RECORD_KEY,
        "source_file": doc.file_name,
        "title": title,
        "service_name": service_name(lines),
        **approval(lines),
        "appeal_text": appeal,
        "note_text": note,
        "extra_rows": extras,
        "numbering_gaps": gaps,
        "has_numbering_gaps": bool(gaps),
        "stage_count": len(stage_numbers),
        "step_count": n_steps,
        "signer_position": " ".join(signature[:-1]) if len(signature) > 1 else None,
        "signer_name": signature[-1] if signature else None,
    }
    schema = SCHEMAS["service_card_services"]
    return pl.LazyFrame({k: [row[k]] for k in schema}, schema=schema)


def normalise(doc: Document) -> dict[str, pl.DataFrame]:
    """The card -> {"service_card": one row per stage step, "service_card_services": one row}."""
    table, mapping = REPORT.find_table(doc)
    stages: list[Row] = []
    extras: list[dict[str, object]] = []
    for row in table.data_rows():
        if not any(c and c.strip() for c in row.cells):
            continue  # a blank spacer row
        printed = cell(row.cells, mapping, "no")
        if is_extra_row(row, mapping):
            extras.append(
                {
                    "number": stage_number(printed),
                    "label": cell(row.cells, mapping, "description"),
                    "text": _extra_text(row, mapping),
                }
            )
            continue
        if stage_number(printed) is None:
            raise DocumentError(
                "stage_numbering", f"a stage row after stage {len(stages)} has no number"
            )
        if extras:
            raise DocumentError("stage_numbering", "a stage row follows the appeal/note rows")
        stages.append(row)
    if not stages:
        raise DocumentError("no_table", "the card's table has no stage rows")
    lf = steps(steps_frame(stages, mapping), doc.sha256, doc.file_name)
    numbers = [stage_number(cell(r.cells, mapping, "no")) or 0 for r in stages]
    frames = REPORT.with_references(lf, doc.sha256)
    card = service(doc, numbers, extras, frames["service_card"].height).collect()
    return {**frames, "service_card_services": card}
