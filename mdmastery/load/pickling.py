"""The index's values: pickles of mdmastery's own classes, written fast and read back by
an unpickler that builds nothing else (and the datetime types YAML gives), so a planted
index cannot run code."""

from __future__ import annotations

import dataclasses
import importlib
import io
import operator
import pickle
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import ModuleType
from typing import Any

# The modules whose classes the index stores: a note's facts and a model hold their
# values (and only those).
STORED_MODULES = ("mdmastery.errors", "mdmastery.model.values", "mdmastery.model.facts",
                  "mdmastery.model.scales")


def _constructor_reducer(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """Reduce a frozen dataclass or a named tuple to (cls, field values): C-speed to load,
    no __setstate__ (a named tuple's own reduction, through copyreg, is slower both ways:
    docs/performance.md)."""
    if _is_named_tuple(cls):
        def reduce_tuple(obj: Any) -> tuple[Any, ...]:
            return cls, tuple(obj)

        return reduce_tuple
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields) or hasattr(cls, "__post_init__"):
        return None
    values = operator.attrgetter(*(f.name for f in fields)) if len(fields) > 1 else \
        (lambda obj: (getattr(obj, fields[0].name),)) if fields else (lambda obj: ())

    def reduce(obj: Any) -> tuple[Any, ...]:
        return cls, values(obj)

    return reduce


@lru_cache(maxsize=1)
def _dispatch_table() -> dict[type, Callable[[Any], tuple[Any, ...]]]:
    """Reducers for the dataclasses and named tuples the index stores (those of
    STORED_MODULES).

    A dispatch table is looked up in C by exact type, so the many dates and strings of
    a model are pickled at C speed; only our own classes call back into Python.
    """
    table: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
    for module in map(importlib.import_module, STORED_MODULES):
        for value in _classes(module):
            reducer = _constructor_reducer(value)
            if reducer is not None:
                table[value] = reducer
    return table


def _classes(module: ModuleType) -> list[type]:
    """The dataclasses and named tuples a module defines."""
    return [value for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__ and
            (dataclasses.is_dataclass(value) or _is_named_tuple(value))]


_OUR_MODULE = re.compile(r"mdmastery(?:\.[a-z][a-z0-9_]*)+")


_SAFE_GLOBALS = frozenset({
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"),
})


class _Unpickler(pickle.Unpickler):
    """Load only our dataclasses and named tuples, and datetime values."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[module, name]
        except KeyError:
            pass
        found: Any = None
        if (module, name) in _SAFE_GLOBALS:
            found = super().find_class(module, name)
        elif _OUR_MODULE.fullmatch(module):
            # Our modules only define things on import; a lazy load may not have run yet.
            candidate = getattr(importlib.import_module(module), name, None)
            if isinstance(candidate, type) and candidate.__module__ == module and \
                    (dataclasses.is_dataclass(candidate) or _is_named_tuple(candidate)):
                found = candidate
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} has no place in the index")
        _ALLOWED[module, name] = found
        return found


def _is_named_tuple(cls: type) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


# (module, name) -> the class find_class allowed: one unpickler per note asks often.
_ALLOWED: dict[tuple[str, str], Any] = {}


def dumps(value: Any) -> bytes:
    """Pickle a value (our dataclasses, YAML scalars) for the index."""
    return dumper()(value)


def dumper() -> Callable[[Any], bytes]:
    """Return a dumps for many values in turn, by one caller: it keeps its pickler and
    buffer (making them costs a good part of pickling a note's facts)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = _dispatch_table()

    def dump(value: Any) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        pickler.clear_memo()
        pickler.dump(value)
        return buffer.getvalue()

    return dump


def loads(blob: bytes) -> Any:
    """Read a value back, refusing anything but our dataclasses and plain data."""
    return _Unpickler(io.BytesIO(blob)).load()


def loads_many(blobs: Sequence[bytes]) -> list[Any]:
    """Read many values back (see loads)."""
    return [_Unpickler(io.BytesIO(blob)).load() for blob in blobs]
