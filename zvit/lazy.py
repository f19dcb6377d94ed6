"""Defer loading modules a framework imports but a run never uses.

Great Expectations imports scipy.stats when it is imported (for distribution expectations: KL
divergence, bootstrapped tests), ~0.65 s of its ~2.2 s; zvit's suites use none of them. `defer`
puts a module object in `sys.modules` whose code runs at the first use of one of its attributes:
an import that only binds the name costs nothing, and code that uses the module loads it then,
exactly as it would have been loaded before. Nothing changes what runs, only when.

Why not `importlib.util.LazyLoader`: its modules load on *any* attribute access, metadata too. On
Python 3.11 `import scipy.stats` reads the module's `__spec__`, and dbt's adapter set-up calls
`inspect.stack()`, which asks every module in `sys.modules` for its `__file__`: either loaded
scipy.stats again, the second one inside the dbt build. A deferred module here answers its
import metadata (`__spec__`, `__file__`, `__path__`, ...) from its spec without loading.

Loading is serialised by one lock, and a module's code runs once. Only modules not imported yet
are deferred.

`withhold` goes further for an optional dependency a framework would only use for features zvit
does not: GX imports SQLAlchemy (~0.25 s) for SQL datasources, while zvit validates pandas frames.
GX's own modules are told it is not installed, which GX supports (SQLAlchemy is an extra of
GX, here only because Prefect's server needs it); every other importer gets it as usual.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.RLock()

METADATA = frozenset(
    {
        "__spec__",
        "__name__",
        "__file__",
        "__path__",
        "__loader__",
        "__package__",
        "__cached__",
        "__class__",
    }
)
"""What a deferred module answers without loading: what importing and `inspect` ask of it."""


class _Deferred(ModuleType):
    """A module whose code has not run yet; the first other attribute use runs it."""

    def __getattribute__(self, attr: str) -> Any:
        if attr in METADATA:
            return object.__getattribute__(self, attr)
        _load(self)
        return getattr(self, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        _load(self)
        setattr(self, attr, value)

    def __delattr__(self, attr: str) -> None:
        _load(self)
        delattr(self, attr)

    def __dir__(self) -> list[str]:
        _load(self)
        return dir(self)


def _load(module: ModuleType) -> None:
    with _lock:
        if type(module) is not _Deferred:  # loaded meanwhile (another thread, or re-entered)
            return
        spec = object.__getattribute__(module, "__spec__")
        # From here on a plain module (its own code sets its names); not through __setattr__.
        object.__setattr__(module, "__class__", ModuleType)
        spec._initializing = True
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(spec.name, None)  # as a failed import leaves it: the next one retries
            raise
        finally:
            spec._initializing = False


def defer(*names: str) -> list[str]:
    """Make each module in `names` load at its first use; returns the ones deferred now.

    A module already imported, or not installed, is left alone (an import of it then behaves as
    it always did). A dotted name's parent package is imported now (it is usually light)."""
    deferred = []
    with _lock:
        for name in names:
            if name in sys.modules:
                continue
            parent_name, _, child = name.rpartition(".")
            try:
                parent = importlib.import_module(parent_name) if parent_name else None
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                continue
            if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
                continue
            module = importlib.util.module_from_spec(spec)  # metadata set, code not run
            module.__class__ = _Deferred
            sys.modules[name] = module
            if parent is not None:
                setattr(parent, child, module)
            deferred.append(name)
    return deferred


def is_loaded(name: str) -> bool:
    """True once `name` is imported and its code has run (deferred and not used yet: False)."""
    module = sys.modules.get(name)
    return module is not None and type(module) is not _Deferred


def _importer() -> str:
    """The name of the module whose code is importing (past the import machinery's frames)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name != __name__ and name != "importlib" and not name.startswith("importlib."):
            return name
        frame = frame.f_back
    return ""


def _within(name: str, packages: frozenset[str]) -> bool:
    return name in packages or any(name.startswith(f"{p}.") for p in packages)


class _Withheld(importlib.abc.MetaPathFinder):
    """Tells `importers` (packages) that `modules` are not installed; asks nothing of others."""

    def __init__(self) -> None:
        self.rules: dict[str, frozenset[str]] = {}
        """Top-level module -> the packages it is withheld from."""

    def find_spec(
        self, name: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        importers = self.rules.get(name.partition(".")[0])
        if importers and _within(_importer(), importers):
            raise ModuleNotFoundError(f"No module named {name!r} (withheld)", name=name)
        return None  # the next finder finds it, as if this one were not there


_withheld = _Withheld()


def withhold(module: str, importers: tuple[str, ...]) -> bool:
    """From now on, an import of top-level `module` (or its submodules) by code in the packages
    `importers` fails as if it were not installed; other code imports it as usual. Returns False
    (and withholds nothing) if `module` is imported already: the importers would find it in
    `sys.modules` anyway, and mixing the two answers gains nothing."""
    with _lock:
        if module in sys.modules:
            return False
        previous = _withheld.rules.get(module, frozenset())
        _withheld.rules[module] = previous | frozenset(importers)
        if _withheld not in sys.meta_path:
            sys.meta_path.insert(0, _withheld)
        return True
