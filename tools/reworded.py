"""Reports with reworded headers: several real-world wordings per column, columns reordered and
dropped, and headers no vocabulary knows (recognised by their cells, or not at all).

DOCX only (python-docx; no LibreOffice needed): the reader reads DOCX, and what is tested here is
how columns are recognised, not how a producer draws them. Written into
`tests/fixtures/documents/<type>/reworded/` (picked up by the contract tests and the golden tests)
and, for the reports no type can load, `tests/fixtures/reworded/` (a `missing_column` case and
a `validation_failed` one).

    .venv/bin/python -m tools reworded
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tools import plan_execution
from tools.base import (
    DOCUMENTS_DIR,
    ROOT,
    Truth,
    derive,
    load_truth,
    render_docx,
    table_block,
    write_truth,
)

UNREADABLE_DIR = ROOT / "tests" / "fixtures" / "reworded"

PLAN_VARIANTS: dict[str, tuple[dict[str, float], dict[str, str], str]] = {
    # doc_id -> (column key -> width in the new order, key -> new header, what changed)
    "plan_2021_wording_a": (
        {"no": 1.0, "measure": 6.0, "deadline": 2.6, "executor": 2.8, "status": 4.0,
         "evidence": 7.0},
        {"no": "№", "measure": "Завдання", "deadline": "Термін (строк) виконання",
         "executor": "Відповідальний виконавець", "status": "Інформація про стан виконання",
         "evidence": "Підтвердні документи"},
        "justification dropped",
    ),
    "plan_2021_wording_b": (
        {"status": 4.0, "measure": 8.0, "executor": 3.0, "no": 1.2, "deadline": 3.0},
        {"no": "Номер", "measure": "Назва заходу", "deadline": "Строк", "executor": "Виконавці",
         "status": "Результат"},
        "evidence and justification dropped, status first, number fourth",
    ),
    "plan_2021_wording_c": (
        {"no": 1.0, "measure": 6.0, "executor": 2.8, "deadline": 2.6, "status": 3.0,
         "justification": 4.0, "evidence": 5.0},
        {"no": "Графа 1", "measure": "Найменування заходу", "executor": "Графа 3",
         "deadline": "Графа 4", "status": "Що зроблено", "justification": "Підстава",
         "evidence": "Документи або інформація, що підтверджують виконання"},
        "number, executor and deadline headers no vocabulary knows: recognised by their cells",
    ),
}  # fmt: skip
PLAN_UNREADABLE = (
    "plan_2021_unknown_measure",
    {"no": 1.0, "measure": 7.0, "deadline": 2.6, "executor": 2.8, "status": 3.0},
    {"no": "№ п/п", "measure": "Графа 2", "deadline": "Термін виконання",
     "executor": "Виконавець", "status": "Стан виконання"},
    "the measure column's header is unknown and its cells say nothing a test can recognise",
)  # fmt: skip

ANTICORRUPTION_VARIANTS: dict[str, tuple[list[str], dict[str, str], str]] = {
    "anticorruption_2019_wording_a": (
        ["no", "name", "responsible", "deadline", "status"],
        {"no": "№ з/п", "name": "Зміст заходу", "responsible": "Відповідальний виконавець",
         "deadline": "Термін (строк) виконання", "status": "Інформація про стан виконання"},
        "reworded; responsible before deadline",
    ),
    "anticorruption_2019_wording_b": (
        ["no", "name", "status", "responsible", "deadline"],
        {"no": "№", "name": "Назва заходу", "responsible": "Виконавці", "deadline": "Графа 5",
         "status": "Результат"},
        "reworded; status third; deadline header unknown (recognised by its cells)",
    ),
}  # fmt: skip


SERVICE_CARD_VARIANTS: dict[str, tuple[dict[str, str], str]] = {
    "service_card_immigration_wording": (
        {"no": "№", "description": "Перелік етапів", "official": "Відповідальна посадова особа",
         "unit": "Графа 4", "deadline": "Тривалість (днів)"},
        "headers reworded; the unit column's header unknown (recognised by its cells)",
    ),
}  # fmt: skip


def _docx_only(truth: Truth, out_dir: Path, doc_id: str) -> Truth:
    """Write `<doc_id>.docx` and its truth JSON (no PDF: `pdf` holds no pages or rows)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    truth["doc_id"] = doc_id
    truth["files"] = {"docx": f"{doc_id}.docx"}
    truth["pdf"] = {"file": None, "pages": None, "rows": {}, "line_join_ambiguities": []}
    render_docx(truth, out_dir / f"{doc_id}.docx")
    write_truth(truth, out_dir / f"{doc_id}.json")
    print(doc_id, "docx")
    return truth


def _plan(doc_id: str, widths: dict[str, float], headers: dict[str, str], what: str) -> Truth:
    source = load_truth(DOCUMENTS_DIR / "plan_execution" / "plan_2021.json")
    mutation = f"headers reworded, columns reordered: {', '.join(widths)}; {what}"
    return plan_execution._relaid(source, mutation, widths, headers)


def reorder_table(truth: Truth, order: list[str], headers: dict[str, str]) -> None:
    """The first table's columns in `order` (every key once), headers renamed, cells and
    vertical merges moved with their columns."""
    block = next(b for b in truth["blocks"] if b["type"] == "table")
    keys = [c["key"] for c in block["columns"]]
    where = [keys.index(k) for k in order]
    block["columns"] = [
        {"key": k, "header": headers.get(k, block["columns"][i]["header"])}
        for k, i in zip(order, where, strict=True)
    ]
    block["widths_cm"] = [block["widths_cm"][i] for i in where]
    truth["layout"]["widths_cm"] = list(block["widths_cm"])
    for row in block["rows"]:
        if row["kind"] == "group" or (row.get("span") and where != sorted(where)):
            if row.get("span"):
                raise ValueError("rows with spanned cells are not reordered")
            continue
        if row.get("span"):
            continue  # same order: spanned rows stay as they are
        row["cells"] = [row["cells"][i] for i in where]
        if "vmerge" in row:
            row["vmerge"] = [where.index(i) for i in row["vmerge"]]
    truth["data"]["columns"] = block["columns"]


def _anticorruption(doc_id: str, order: list[str], headers: dict[str, str], what: str) -> Truth:
    source = load_truth(DOCUMENTS_DIR / "anticorruption" / "anticorruption_2019.json")
    truth = derive(source, what)
    reorder_table(truth, order, headers)
    return truth


def _duplicate_number() -> Truth:
    """The 2021 plan with its fifth measure numbered like the fourth: loads nowhere (a number
    seen twice fails validation), so its reason must say where without saying what."""
    source = load_truth(DOCUMENTS_DIR / "plan_execution" / "plan_2021.json")
    truth = derive(source, "the fifth measure carries the fourth's number (fails validation)")
    block = next(b for b in truth["blocks"] if b["type"] == "table")
    keys = [c["key"] for c in block["columns"]]
    data = [r for r in block["rows"] if r["kind"] == "data"]
    data[4]["cells"][keys.index("no")] = data[3]["cells"][keys.index("no")]
    return truth


def make_reworded(out: Path | None = None) -> list[Truth]:
    """Write every reworded report (into `out`/<type>/ and `out`/unreadable/ when given)."""
    written = []
    for doc_id, spec in PLAN_VARIANTS.items():
        folder = out / "plan_execution" if out else DOCUMENTS_DIR / "plan_execution" / "reworded"
        written.append(_docx_only(_plan(doc_id, *spec), folder, doc_id))
    for doc_id, spec in ANTICORRUPTION_VARIANTS.items():
        folder = out / "anticorruption" if out else DOCUMENTS_DIR / "anticorruption" / "reworded"
        written.append(_docx_only(_anticorruption(doc_id, *spec), folder, doc_id))
    for doc_id, (headers, what) in SERVICE_CARD_VARIANTS.items():
        source = load_truth(DOCUMENTS_DIR / "service_card" / "service_card_immigration.json")
        truth = derive(source, what)
        reorder_table(truth, [c["key"] for c in table_block(truth)["columns"]], headers)
        folder = out / "service_card" if out else DOCUMENTS_DIR / "service_card" / "reworded"
        written.append(_docx_only(truth, folder, doc_id))
    doc_id, *spec = PLAN_UNREADABLE
    truth: Any = _plan(doc_id, *spec)
    written.append(_docx_only(truth, out / "unreadable" if out else UNREADABLE_DIR, doc_id))
    doc_id = "plan_2021_duplicate_number"
    written.append(
        _docx_only(_duplicate_number(), out / "unreadable" if out else UNREADABLE_DIR, doc_id)
    )
    return written
