"""Packages whose names are imported from their modules on first use."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence


def lazy_exports(
    package: str, homes: Mapping[str, str], names: Sequence[str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` that import each name when first used.

    Parameters
    ----------
    package
        The package's ``__name__``.
    homes
        For each exported name, the module that defines it.
    names
        The package's ``__all__``.

    Returns
    -------
    tuple
        ``__getattr__`` and ``__dir__`` for the package (PEP 562).
    """

    def attribute(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    def listing() -> list[str]:
        return sorted(names)

    return attribute, listing
