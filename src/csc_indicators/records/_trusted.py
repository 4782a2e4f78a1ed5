"""Records built from values already checked: the readers' fast path.

A reader validates each value as it takes it from the file (and reports a bad one with its
place in the file), so by the time it builds a record every value is already in the form the
record's converters and validators would produce. Running them again costs most of the time
of building a record. :func:`trusted_maker` gives, for a record class, a function that builds
an instance from such values without running them.

It is for the library's readers only: a value that is not in canonical form (a code not
upper-cased, a list where the record holds a tuple) would make a record that ``Record(...)``
would never make. A test builds every record type both ways and compares them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["trusted_maker", "trusted_setters"]

T = TypeVar("T")


@functools.cache
def trusted_maker(cls: type[T]) -> Callable[..., T]:
    """A function ``make(*values)`` building a ``cls`` from its field values, in field order,
    without running the fields' converters and validators.

    Every field must be given (defaults are not filled in).
    """
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    names = [a.name for a in fields]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(f'v{i}' for i in range(len(names)))}):", "    o = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = cls.__dict__[name].__set__
        lines.append(f"    _set{i}(o, v{i})")
    lines.append("    return o")
    exec(compile("\n".join(lines), f"<trusted {cls.__name__}>", "exec"), namespace)
    make: Callable[..., T] = namespace["make"]
    make.__doc__ = f"A {cls.__name__} from checked values ({', '.join(names)})."
    return make


def trusted_setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...]:
    """The functions ``set(o, value)`` setting each field of a ``cls`` made by
    ``object.__new__(cls)``, in field order, without its converter and validator: what
    :func:`trusted_maker`'s function does, for a generated reader to do inline."""
    return tuple(cls.__dict__[a.name].__set__ for a in attrs.fields(cls))
