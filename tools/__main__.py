"""Write zvit's generated test fixtures from truth JSON: `python -m tools TARGET [DOC_ID ...]`.

Run from the repository root:

    .venv/bin/python -m tools plan_execution       # plan_2021 variants (+ samples/plan_2022.docx)
    .venv/bin/python -m tools anticorruption       # anticorruption_2019 variants
    .venv/bin/python -m tools service_card         # service_card_residence_permit
    .venv/bin/python -m tools assistance_project   # ITA variants (itd_semiannual_synthetic, ...)
    .venv/bin/python -m tools assistance_project itd_immis_final_large   # only that variant
    .venv/bin/python -m tools bad                  # tests/fixtures/bad/ (reads the plan variants)
    .venv/bin/python -m tools scan                 # image-only scans of samples (tools/scan.py)
    .venv/bin/python -m tools producers            # the sample truths by Chromium and reportlab
    .venv/bin/python -m tools long                 # benchmarks/data/plan_long.pdf
    .venv/bin/python -m tools reworded             # reworded headers (DOCX only, no LibreOffice)
    .venv/bin/python -m tools all                  # every type, then bad, then long
    .venv/bin/python -m tools --list               # the targets and their variants
    .venv/bin/python -m tools all --out /tmp/fx    # into /tmp/fx/<target>/ (and /tmp/fx/samples/)
    .venv/bin/python -m tools fuzz --n 300         # mutated PDFs through the capped worker

A type writes DOCX + PDF + truth JSON (`zvit-corpus-truth/1`) per variant into
`tests/fixtures/documents/<type>/variants/` and refreshes its copies in `samples/`. LibreOffice
(`soffice`) must be installed, and for `bad` also qpdf and poppler-utils; the outputs are
committed, so tests never need them. Everything is deterministic: re-running rewrites the same
content (PDF timestamps and DOCX zip-entry times aside).

A document type's generator is the module `tools/<type>.py`, named as in `transforms/`, with a
`GENERATOR` (`tools.base.Generator`: source truth, variants, samples); this command finds it on
its own, so a new type adds a module and edits nothing here.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable
from pathlib import Path

import tools
from tools import bad, plan_execution, producers, reworded, scan
from tools.base import SAMPLES_DIR, Generator


def generators() -> dict[str, Generator]:
    """doc_type -> generator, for every module of this package that has a `GENERATOR`."""
    found = {}
    for info in sorted(pkgutil.iter_modules(tools.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"tools.{info.name}")
        generator = getattr(module, "GENERATOR", None)
        if isinstance(generator, Generator):
            found[generator.doc_type] = generator
    return found


def _extras(out: Path | None) -> dict[str, Callable[[], object]]:
    """The targets that are not a document type's variants."""
    return {
        "bad": lambda: bad.make_bad_fixtures(out / "bad" if out else bad.BAD_DIR),
        "scan": lambda: print(
            *scan.make_scans(out / "scans" if out else None, out and out / "samples"), sep="\n"
        ),
        "reworded": lambda: reworded.make_reworded(out / "reworded" if out else None),
        "producers": lambda: producers.render_matrix(out=out / "producers" if out else None),
        "long": lambda: print(
            plan_execution.make_long(out / "plan_long.pdf" if out else plan_execution.LONG_PDF)
        ),
    }


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["fuzz"]:  # not a fixture target: its own options (tools/fuzz.py)
        from tools import fuzz

        fuzz.main(argv[1:])
        return
    types = generators()
    parser = argparse.ArgumentParser(prog="python -m tools", description=__doc__.split("\n")[0])
    parser.add_argument("target", nargs="?", choices=[*types, *_extras(None), "all"])
    parser.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="only these variants")
    parser.add_argument("--out", type=Path, help="write here instead of the committed places")
    parser.add_argument("--list", action="store_true", help="list the targets and variants")
    args = parser.parse_args(argv)
    if args.list:
        for name, generator in types.items():
            print(name, *generator.variants)
        print(*_extras(None), "all")
        return
    if args.target is None:
        parser.error("a target is needed (or --list)")
    if args.doc_ids and args.target not in types:
        parser.error(f"{args.target} has no variants to choose")
    unknown = [d for d in args.doc_ids if d not in types[args.target].variants]
    if unknown:
        parser.error(f"{args.target} has no variant {', '.join(unknown)} (see --list)")
    out: Path | None = args.out.resolve() if args.out else None
    samples = out / "samples" if out else SAMPLES_DIR
    for name, generator in types.items():
        if args.target in (name, "all"):
            generator.generate(args.doc_ids, out / name if out else None, samples)
    for name, make in _extras(out).items():
        if args.target in (name, "all"):
            make()


if __name__ == "__main__":
    main()
