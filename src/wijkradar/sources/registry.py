"""Name -> source factory. Built-in and third-party sources register the same way.

Third parties can also expose factories through the `wijkradar.sources` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from wijkradar.sources.base import Source

SourceFactory = Callable[..., Source]

_FACTORIES: dict[str, SourceFactory] = {}


def register(name: str) -> Callable[[SourceFactory], SourceFactory]:
    def decorate(factory: SourceFactory) -> SourceFactory:
        if name in _FACTORIES and _FACTORIES[name] is not factory:
            raise ValueError(f"source {name!r} is registered twice")
        _FACTORIES[name] = factory
        return factory

    return decorate


def create(name: str, **options: Any) -> Source:
    _load_entry_points()
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = ", ".join(sorted(_FACTORIES)) or "none"
        raise KeyError(f"unknown source {name!r}; known: {known}") from None
    return factory(**options)


def names() -> list[str]:
    _load_entry_points()
    return sorted(_FACTORIES)


_loaded = False


def _load_entry_points() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    # Importing the built-in modules runs their @register decorators.
    from wijkradar.sources import builtin  # noqa: F401

    for entry in entry_points(group="wijkradar.sources"):
        register(entry.name)(entry.load())
