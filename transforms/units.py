"""Executor / responsible cells -> canonical unit codes, and the persons named in them.

Cells name units by abbreviation ("ДОЗ, ДІТЗІ"), by group phrase ("самостійні структурні
підрозділи апарату ДМС") and, in anticorruption reports, by person ("Гребенюк С.В. (ВПЗВК)").
Everything is done with polars expressions so a whole column is parsed at once; the plain-Python
helpers run the same expressions on a one-row frame, so there is a single implementation.

Canonical codes: abbreviations stay as written (uppercase Cyrillic, e.g. "ДІТЗІ"); multi-word
units get a Latin code from `PHRASES`. Unknown abbreviations are kept; an unknown lower-case
phrase is kept whole (trimmed), never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

PHRASES: tuple[tuple[str, str], ...] = (
    # (pattern, code). Order matters: longer phrases first.
    (
        r"(?i)(?:керівник\w*\s+)?(?:заінтересован\w*\s+)?самостійн\w*\s+структурн\w*\s+"
        r"підрозділ\w*(?:\s+апарату)?(?:\s+ДМС)?",
        "SSP_APARAT",
    ),
    (
        r"(?i)(?:керівник\w*\s+)?(?:заінтересован\w*\s+)?структурн\w*\s+підрозділ\w*"
        r"\s+апарату(?:\s+ДМС)?",
        "SP_APARAT",
    ),
    (r"(?i)(?:керівник\w*\s+)?територіальн\w*\s+орган\w*(?:\s+ДМС)?", "TERRITORIAL_BODIES"),
    (r"(?i)територіальн\w*\s+підрозділ\w*(?:\s+ДМС)?", "TERRITORIAL_SUBDIVISIONS"),
    (
        r"(?i)установ\w*\s+(?:та|і|й)\s+підприємств\w*,?\s+що\s+належ\w*\s+до\s+сфери\s+"
        r"(?:її\s+)?управління(?:\s+ДМС)?",
        "SUBORDINATE_INSTITUTIONS,SUBORDINATE_ENTERPRISES",
    ),
    (
        r"(?i)установ\w*,?\s+що\s+належ\w*\s+до\s+сфери\s+(?:її\s+)?управління(?:\s+ДМС)?",
        "SUBORDINATE_INSTITUTIONS",
    ),
    (r"(?i)(?:ДП|державн\w+\s+підприємств\w*)\s*[«\"]Документ[»\"]", "DP_DOKUMENT"),
    (r"ПТРБ\s+у\s+м\.\s*Яготин\w*", "PTRB_YAHOTYN"),
    (r"(?i)тендерн\w+\s+комітет\w*(?:\s+ДМС)?", "TENDER_COMMITTEE"),
    (r"(?i)конкурсн\w+\s+комісі\w+(?:\s+ДМС)?", "COMPETITION_COMMISSION"),
    (r"(?i)секретар\w*\s+комісії", "COMMISSION_SECRETARY"),
    (r"(?i)член\w*\s+комісії", "COMMISSION_MEMBERS"),
    (
        r"(?i)замовник\w*\s+закупівель(?:\s+згідно\s+із?\s+Законом\s+України\s+"
        r"«Про\s+публічні\s+закупівлі»)?",
        "PROCUREMENT_CUSTOMER",
    ),
)
"""Group phrases and multi-word units -> code. Codes are documented in UNIT_CODES."""

UNIT_CODES: dict[str, str] = {
    "SSP_APARAT": "самостійні структурні підрозділи апарату ДМС (all, or 'заінтересовані')",
    "SP_APARAT": "структурні підрозділи апарату ДМС (incl. their heads)",
    "TERRITORIAL_BODIES": "територіальні органи ДМС (incl. their heads)",
    "TERRITORIAL_SUBDIVISIONS": "територіальні підрозділи ДМС",
    "SUBORDINATE_INSTITUTIONS": "установи, що належать до сфери управління ДМС",
    "SUBORDINATE_ENTERPRISES": "підприємства, що належать до сфери управління ДМС",
    "DP_DOKUMENT": "ДП «Документ»",
    "PTRB_YAHOTYN": "ПТРБ у м. Яготин",
    "TENDER_COMMITTEE": "Тендерний комітет ДМС",
    "COMPETITION_COMMISSION": "Конкурсна комісія",
    "COMMISSION_SECRETARY": "Секретар комісії (a role)",
    "COMMISSION_MEMBERS": "члени комісії (a role)",
    "PROCUREMENT_CUSTOMER": "Замовник закупівель (a role under the public procurement law)",
}
"""The Latin codes this module emits, with what they stand for (documentation and tests)."""

_UPPER = r"[\p{Lu}_]"
_ABBR_PAIR = rf"\b({_UPPER}{{2,}})\s+({_UPPER}{{2,}})\b"
PERSON = r"(\p{Lu}[\p{Ll}'’ʼ-]+)\s+(\p{Lu}\.\s?\p{Lu}\.)(?:\s*\(([^)]*)\))?"
"""Surname, initials and an optional unit in parentheses: "Гребенюк С.В. (ВПЗВК)"."""


def canonical_phrases(text: pl.Expr) -> pl.Expr:
    """Whitespace collapsed, broken words repaired, group phrases replaced by their codes."""
    out = text.str.replace_all(r"\s+", " ").str.strip_chars()
    # A PDF wrap artefact kept in the source: "територіальн і органи".
    out = out.str.replace_all(r"(?i)(територіальн)\s+(і)\b", "${1}${2}")
    for pattern, code in PHRASES:
        out = out.str.replace_all(pattern, f" {code} ", literal=False)
    return out


def units_expr(text: pl.Expr) -> pl.Expr:
    """A String expression -> List(String) of unit codes in order of first mention, no repeats.

    Persons are reduced to their unit ("Гребенюк С.В. (ВПЗВК)" -> "ВПЗВК"): the unit is what
    is responsible; `persons_expr` keeps the names.
    """
    out = canonical_phrases(text)
    out = out.str.replace_all(PERSON, " ${3} ")
    # Abbreviations separated only by a space ("ДСЮБГ ДІТЗІ") are two units; two passes cover
    # runs of any length because each pass joins non-overlapping pairs.
    for _ in range(2):
        out = out.str.replace_all(_ABBR_PAIR, "${1},${2}")
    out = out.str.replace_all(r"[;()]", ",").str.replace_all(r"\s+(?:та|і|й)\s+", ",")
    return (
        out.str.split(",")
        .list.eval(
            pl.element()
            .str.strip_chars(" .:\t\n")
            .str.replace_all(r"^(?:та|і|й)\s+", "")
            .filter(pl.element().str.strip_chars(" .:\t\n").str.len_chars() > 0)
        )
        .list.unique(maintain_order=True)
    )


PERSON_DTYPE = pl.Struct(
    {"name": pl.String, "surname": pl.String, "initials": pl.String, "unit": pl.String}
)


def persons_expr(text: pl.Expr) -> pl.Expr:
    """A String expression -> List(Struct{name, surname, initials, unit}) of named persons.

    `unit` is the canonical code of the unit in parentheses, or null when none is given.
    """
    found = text.str.replace_all(r"\s+", " ").str.extract_all(PERSON)
    parts = pl.element().str.extract_groups(PERSON)
    unit = canonical_phrases(parts.struct.field("3")).str.strip_chars()
    return found.list.eval(
        pl.struct(
            (
                parts.struct.field("1")
                + pl.lit(" ")
                + parts.struct.field("2").str.replace_all(r"\s", "")
            ).alias("name"),
            parts.struct.field("1").alias("surname"),
            parts.struct.field("2").str.replace_all(r"\s", "").alias("initials"),
            pl.when(unit != "").then(unit).alias("unit"),
        )
    )


@dataclass(frozen=True)
class Person:
    """A person named as responsible, with their unit code when the cell gives it."""

    name: str
    surname: str
    initials: str
    unit: str | None


@dataclass(frozen=True)
class Responsible:
    """What a responsible/executor cell names: unit codes and, separately, persons."""

    units: list[str]
    persons: list[Person]


def parse_units(text: str | None) -> list[str]:
    """Unit codes named in one cell (same expressions as the column version)."""
    if not text:
        return []
    return pl.select(units_expr(pl.lit(text, dtype=pl.String))).item().to_list()


def parse_responsible(text: str | None) -> Responsible:
    """Units and persons named in one cell ("Гребенюк С.В. (ВПЗВК) Донський С.М. (УП)")."""
    if not text:
        return Responsible([], [])
    row = pl.select(
        units_expr(pl.lit(text, dtype=pl.String)).alias("units"),
        persons_expr(pl.lit(text, dtype=pl.String)).alias("persons"),
    ).row(0, named=True)
    return Responsible(list(row["units"]), [Person(**p) for p in row["persons"]])
