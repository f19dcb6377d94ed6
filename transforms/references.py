"""Legal and document references in free text -> one record per referenced document.

Report cells cite their grounds and evidence: "наказом МВС від 25.11.2016 № 1250",
"Листом від 26.01.2021 № 4.1.3-566/1-21", "постанова Кабінету Міністрів України від …",
"доповідна записка … від 29.06.2021 №18/115-21", "Закон України «Про державну службу»".
One phrase may cite several documents of one kind ("листами від … № … та від … № …",
"наказів ДМС від 13.09.2021 № 84/аг і № 85/аг"): each becomes its own record, and a number
without its own date takes the date before it.

Kinds emitted: order, letter, resolution, directive, law, memo, decree (`EMITTED_KINDS`: the one
list the GX suite and dbt are checked against). A kind word with neither a date, a number nor a
«title» (e.g. "направлено лист") is not a reference and is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from transforms.common import check_vocabulary, conform
from transforms.deadlines import MONTH_RE, month_number

KINDS: dict[str, str] = {
    "наказ": "order",
    "лист": "letter",
    "постанов": "resolution",
    "розпорядж": "directive",
    "закон": "law",
    "доповідн": "memo",
    "указ": "decree",
    "протокол": "protocol",
}
"""Stem of the kind word (any case, any declension) -> kind code, for every kind recognised."""

KIND_WORDS: dict[str, str] = {
    "order": r"наказ\w*",
    "letter": r"лист(?:а|ом|і|и|ів|ами|у)?",
    "resolution": r"постанов(?:а|и|і|у|ою|ами)?",
    "directive": r"розпорядженн(?:я|ям|ю|ями|і)|розпоряджень",
    "law": r"закон(?:у|ом|і|и|ів|ами)?",
    "memo": r"доповідн\w+\s+записк\w+",
    "decree": r"указ(?:у|ом|і|и|ів)?",
    "protocol": r"протокол\w*",
}
"""Kind code -> the kind word in any case and declension ("\b" keeps "листопад" out)."""

EMITTED_KINDS: tuple[str, ...] = (
    "order", "letter", "resolution", "directive", "law", "memo", "decree",
)  # fmt: skip
"""The kinds written: the one list GX value sets and dbt `accepted_values` are checked against.
`protocol` is recognised but not emitted; adding it here makes the contract tests ask for it in
the suite and in dbt."""
VOCABULARIES: dict[str, tuple[str, ...]] = {"document_references.kind": EMITTED_KINDS}
"""The shared table's vocabularies (see `transforms.base.DocType.VOCABULARIES`)."""

KIND_RE = r"(?i:\b(?:" + "|".join(KIND_WORDS[k] for k in EMITTED_KINDS) + r")\b)"
_ISSUER = r"\p{Lu}[\p{L}\p{N}'’ʼ.-]*(?:\s+[\p{L}'’ʼ-]+){0,5}?"
_TITLE = r"«[^»]*»"
_ADDRESSEE = r"(?:\s+на\s+ім['’ʼ]я(?:\s+\p{Lu}[\p{L}'’ʼ.-]*)+)?"
"""A memo's addressee ("на ім'я Голови ДМС"): part of the phrase, not its issuer."""
DATE_RE = rf"\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{1,2}}\s+{MONTH_RE}\s+\d{{4}}(?:\s*(?:року|р\.))?"
NUMBER_RE = r"№\s*(?:[\p{L}\d][\p{L}\d./-]*[\p{L}\d]|\d)"
_CHUNK = rf"(?:від\s+(?:{DATE_RE})(?:\s*{NUMBER_RE})?|{NUMBER_RE}(?:\s*від\s+(?:{DATE_RE}))?)"
_HEAD = rf"{KIND_RE}{_ADDRESSEE}(?:\s+(?:{_ISSUER}))?(?:\s*{_TITLE})?\s*"
REFERENCE_RE = (
    rf"{_HEAD}{_CHUNK}(?:\s*(?:,|та|і|й)\s*{_CHUNK})*"
    rf"|{KIND_RE}(?:\s+(?:{_ISSUER}))?\s*{_TITLE}"
)
"""A whole reference phrase: kind word, optional issuer and «title», then date/number chunks."""

SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.String(),
    "field": pl.String(),
    "position": pl.Int32(),
    "kind": pl.String(),
    "kind_text": pl.String(),
    "issuer": pl.String(),
    "reference_date": pl.Date(),
    "number": pl.String(),
    "text": pl.String(),
}
"""What `extract_references` returns; the document type adds source and doc_type columns."""
TABLE_SCHEMA: dict[str, pl.DataType] = {
    "source_sha256": pl.String(),
    "doc_type": pl.String(),
    **SCHEMA,
}
"""The shared raw table `document_references`, which every citing type writes."""


EMITTED_STEMS: dict[str, str] = {
    stem: code for stem, code in KINDS.items() if code in EMITTED_KINDS
}
check_vocabulary("document_references.kind", EMITTED_STEMS.values(), EMITTED_KINDS)


def kind_expr(kind_text: pl.Expr) -> pl.Expr:
    """Kind word as written ("Листом", "доповідною запискою") -> kind code.

    Only words of `EMITTED_KINDS` are read as references (`KIND_RE`), so every kind written is
    one of them; a word of no emitted kind would give null, which the suite refuses.
    """
    low = kind_text.str.to_lowercase()
    out = pl.lit(None, pl.String)
    for stem, code in EMITTED_STEMS.items():
        out = pl.when(low.str.starts_with(stem)).then(pl.lit(code)).otherwise(out)
    return out


def date_expr(text: pl.Expr) -> pl.Expr:
    """The first "від"-date in the text ("25.11.2016" or "03 листопада 2010 року") -> Date.

    Impossible dates ("31.02.2021", years outside 1900-2099) give null rather than an error:
    they are typos in the source, and the reference is still worth keeping.
    """
    # Only the date after "від": a number like "№ 1.1.2000" must not be read as a date.
    when = text.str.extract(rf"від\s+({DATE_RE})")
    num = when.str.extract_groups(r"^(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)$")
    words = when.str.extract_groups(rf"^(\d{{1,2}})\s+({MONTH_RE})\s+((?:19|20)\d\d)")
    day = pl.coalesce(num.struct.field("1"), words.struct.field("1"))
    month = pl.coalesce(
        num.struct.field("2"),
        month_number(words.struct.field("2").str.to_lowercase()).cast(pl.String),
    )
    year = pl.coalesce(num.struct.field("3"), words.struct.field("3"))
    iso = pl.concat_str(year, month.str.zfill(2), day.str.zfill(2), separator="-")
    return iso.str.to_date("%Y-%m-%d", strict=False)  # strict=False: see docstring


def number_expr(text: pl.Expr) -> pl.Expr:
    """The document number after "№", without the sign and spaces."""
    return text.str.extract(rf"({NUMBER_RE})").str.replace(r"^№\s*", "")


def extract_references(lf: pl.LazyFrame, key: str, fields: list[str]) -> pl.LazyFrame:
    """Rows of `key` + text `fields` -> one row per reference, in text order per field."""
    long = (
        lf.select(pl.col(key).alias("record_key"), *fields)
        .with_row_index("_row")
        .unpivot(index=["_row", "record_key"], on=fields, variable_name="field", value_name="_t")
        .with_columns(pl.col("_t").str.replace_all(r"\s+", " "))
        .with_columns(pl.col("_t").str.extract_all(REFERENCE_RE).alias("_ref"))
        .explode("_ref")
        .drop_nulls("_ref")
        .with_row_index("_ref_id")
    )
    # Everything before the first "від"/"№": kind word, issuer, «title».
    head = pl.col("_ref").str.extract(
        rf"^({KIND_RE}{_ADDRESSEE}(?:\s+{_ISSUER})?(?:\s*{_TITLE})?\s*)(?:від|№)"
    )
    chunks = (
        long.with_columns(
            pl.col("_ref").str.extract(rf"^({KIND_RE})").alias("kind_text"),
            pl.col("_ref").str.extract(
                rf"^{KIND_RE}{_ADDRESSEE}(?:\s+({_ISSUER}))?(?:\s*{_TITLE})?\s*(?:від|№|$)"
            )
            .alias("issuer"),
            pl.coalesce(head, pl.col("_ref")).alias("_head"),
            pl.col("_ref").str.slice(pl.coalesce(head, pl.lit("")).str.len_chars())
            .str.extract_all(_CHUNK).alias("_chunk"),
        )
        .explode("_chunk", empty_as_null=True)  # a «title»-only law keeps its one row
        .with_columns(pl.int_range(pl.len()).over("_ref_id").alias("_i"))
    )  # fmt: skip
    text = (
        pl.when(pl.col("_chunk").is_null()).then(pl.col("_ref"))
        .when(pl.col("_i") == 0).then(pl.col("_head") + pl.col("_chunk"))
        .otherwise(pl.col("_chunk"))
    )  # fmt: skip
    kind = kind_expr(pl.col("kind_text"))
    issuer = pl.col("issuer").str.strip_chars(" ,")
    return (
        chunks.with_columns(
            kind.alias("kind"),
            pl.when((kind == "law") & (issuer == "України")).then(None).otherwise(issuer)
            .alias("issuer"),
            date_expr(pl.col("_chunk")).forward_fill().over("_ref_id").alias("reference_date"),
            number_expr(pl.col("_chunk")).alias("number"),
            text.str.strip_chars(" ,;").alias("text"),
        )
        .sort("_row", "field", "_ref_id", "_i", maintain_order=True)
        .with_columns(
            pl.int_range(pl.len(), dtype=pl.Int32).over("_row", "field").alias("position")
        )
        .pipe(conform, SCHEMA)
    )  # fmt: skip


def document_references(
    records: pl.LazyFrame, fields: Mapping[str, str], source_sha256: str, doc_type: str
) -> pl.LazyFrame:
    """Records of one document (with their `record_key`) -> `document_references` rows.

    `fields` maps the field name a reference is filed under to the column its text is read from.
    """
    texts = records.select("record_key", *(pl.col(c).alias(f) for f, c in fields.items()))
    return (
        extract_references(texts, "record_key", list(fields))
        .select(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(doc_type, pl.String).alias("doc_type"),
            pl.all(),
        )
        .pipe(conform, TABLE_SCHEMA)
    )


@dataclass(frozen=True)
class Reference:
    """One referenced document."""

    kind: str
    kind_text: str
    issuer: str | None
    reference_date: dt.date | None
    number: str | None
    text: str


def parse_references(text: str | None) -> list[Reference]:
    """References in one text (same expressions as the frame version)."""
    if not text:
        return []
    lf = pl.LazyFrame({"k": ["0"], "t": [text]})
    out = extract_references(lf, "k", ["t"]).collect()
    return [
        Reference(**{k: v for k, v in r.items() if k in Reference.__dataclass_fields__})
        for r in out.iter_rows(named=True)
    ]
