"""`zvit.lazy`: a deferred module runs its code at its first real use, never for import metadata;
a withheld one is missing for the named importers only; Great Expectations imported through
`zvit.validation` leaves scipy.stats and SQLAlchemy unloaded."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from zvit import lazy
from zvit.settings import PROJECT_DIR


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package `zz_lazy_pkg` whose submodules count their executions in `zz_lazy_pkg.runs`."""
    name = "zz_lazy_pkg"
    root = tmp_path / name
    root.mkdir()
    (root / "__init__.py").write_text("runs = []\n")
    (root / "heavy.py").write_text(
        textwrap.dedent(
            """
            import zz_lazy_pkg
            zz_lazy_pkg.runs.append("heavy")
            VALUE = 42
            def double(x):
                return 2 * x
            """
        )
    )
    (root / "broken.py").write_text("import zz_lazy_pkg\nzz_lazy_pkg.runs.append('x')\n1 / 0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


def test_metadata_and_imports_do_not_run_the_module(package: str) -> None:
    assert lazy.defer(f"{package}.heavy") == [f"{package}.heavy"]
    pkg = sys.modules[package]
    mod = sys.modules[f"{package}.heavy"]
    assert mod.__name__ == f"{package}.heavy" and mod.__file__.endswith("heavy.py")
    assert mod.__spec__.name == f"{package}.heavy"
    import zz_lazy_pkg.heavy  # noqa: F401  (by name: reads __spec__)
    from zz_lazy_pkg import heavy

    assert heavy is mod
    inspect.stack()  # dbt's adapter set-up: asks every module for its __file__
    inspect.getmodule(test_metadata_and_imports_do_not_run_the_module)
    assert pkg.runs == [] and not lazy.is_loaded(f"{package}.heavy")

    assert heavy.double(heavy.VALUE) == 84  # first real use: runs once
    assert heavy.VALUE == 42
    assert pkg.runs == ["heavy"] and lazy.is_loaded(f"{package}.heavy")
    assert type(heavy).__name__ == "module"


def test_from_import_of_a_name_loads_it(package: str) -> None:
    lazy.defer(f"{package}.heavy")
    from zz_lazy_pkg.heavy import VALUE

    assert VALUE == 42 and sys.modules[package].runs == ["heavy"]


def test_a_failing_module_fails_at_first_use_like_an_import(package: str) -> None:
    lazy.defer(f"{package}.broken")
    from zz_lazy_pkg import broken

    with pytest.raises(ZeroDivisionError):
        broken.anything  # noqa: B018
    assert f"{package}.broken" not in sys.modules  # the next import runs it again
    with pytest.raises(ZeroDivisionError):
        import zz_lazy_pkg.broken  # noqa: F401


def test_imported_or_missing_modules_are_left_alone(package: str) -> None:
    import zz_lazy_pkg.heavy  # noqa: F401

    assert lazy.defer(f"{package}.heavy", f"{package}.missing", "json") == []
    assert lazy.is_loaded(f"{package}.heavy") and not lazy.is_loaded(f"{package}.missing")


def test_a_withheld_module_is_missing_only_for_the_named_importers(
    package: str, tmp_path: Path
) -> None:
    (tmp_path / "zz_lazy_dep.py").write_text("NAME = 'dep'\n")
    (tmp_path / package / "user.py").write_text(
        "try:\n    import zz_lazy_dep\nexcept ModuleNotFoundError:\n    zz_lazy_dep = None\n"
    )
    try:
        assert lazy.withhold("zz_lazy_dep", (package,))
        from zz_lazy_pkg import user

        assert user.zz_lazy_dep is None  # the package was told it is not installed
        assert "zz_lazy_dep" not in sys.modules
        import zz_lazy_dep  # anyone else imports it

        assert zz_lazy_dep.NAME == "dep"
        assert not lazy.withhold("zz_lazy_dep", (package,))  # imported now: left alone
    finally:
        lazy._withheld.rules.pop("zz_lazy_dep", None)
        sys.modules.pop("zz_lazy_dep", None)


def test_great_expectations_validates_without_loading_scipy_stats() -> None:
    """In a fresh interpreter: GX imported by zvit, a suite run on a frame, Data Docs left out;
    neither scipy.stats nor SQLAlchemy is loaded, and SQLAlchemy stays importable."""
    code = textwrap.dedent(
        """
        import json
        from tests.test_validation import _measures
        from zvit import lazy
        from zvit.validation import Validator
        v = Validator()
        good = v.validate("plan_execution", _measures())
        bad = v.validate("plan_execution", _measures(status=["done", "зроблено", None]))
        import sys
        had_sqlalchemy = "sqlalchemy" in sys.modules
        import sqlalchemy.engine
        print(json.dumps({
            "gx": lazy.is_loaded("great_expectations"),
            "scipy_stats": lazy.is_loaded("scipy.stats"),
            "sqlalchemy": had_sqlalchemy,
            "good": len(good),
            "bad": sorted({f.column for f in bad}),
        }))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_DIR, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    report = out.stdout.strip().splitlines()[-1]
    assert json.loads(report) == {
        "gx": True,
        "scipy_stats": False,
        "sqlalchemy": False,
        "good": 0,
        "bad": ["status"],
    }
