"""Sources chosen by registry name, from a build config file (YAML) or CLI `--source` options.

A config file names each source by its registry name with the options its factory takes:

    sources:
      - source: cbs-kwb-files
        directory: ../shared/data/kwb
      - source: local-csv
        csv_path: ../shared/data/kwb/tmap_NLD_dist_kwb2022_wijk.csv
        mapping_path: mappings/tmap_NLD_dist_kwb2022_wijk.yml

Relative paths in PATH_OPTIONS are taken from the config file's folder, so a config works from
any working directory. A registered source (built-in or from the `wijkradar.sources` entry-point
group) can be built this way without any change to the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from wijkradar.domain import InputError, WijkradarError
from wijkradar.sources import registry
from wijkradar.sources.base import Source

PATH_OPTIONS = frozenset({"directory", "path", "csv_path", "mapping_path", "cache_dir"})
TOP_LEVEL = frozenset({"sources", "years", "levels", "db"})


def load_config(path: Path) -> dict[str, Any]:
    """The config as a dict; InputError naming the file and the first problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(path, f"cannot read the build config: {error.strerror}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(path, "not valid YAML", row=row, expected="a build config") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise InputError(
            path,
            "not a build config",
            expected="a mapping with a list 'sources' of {source: NAME, option: value, ...}",
            found=type(data).__name__,
        )
    if unknown := sorted(set(data) - TOP_LEVEL):
        raise InputError(
            path,
            f"unknown key {unknown[0]!r} in the build config",
            column=unknown[0],
            expected=", ".join(sorted(TOP_LEVEL)),
            found=unknown[0],
        )
    config: dict[str, Any] = data
    return config


def sources_from_config(path: Path) -> list[Source]:
    config = load_config(path)
    sources = []
    for number, entry in enumerate(config["sources"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            raise InputError(
                path,
                f"source {number} has no registry name",
                column=f"sources/{number}",
                expected="source: NAME (one of " + ", ".join(registry.names()) + ")",
                found=repr(entry),
            )
        options = {k: v for k, v in entry.items() if k != "source"}
        sources.append(create(entry["source"], options, base=path.parent, where=str(path)))
    return sources


def create(name: str, options: Mapping[str, Any], base: Path, where: str) -> Source:
    """registry.create with relative path options resolved from `base`, errors in one line."""
    resolved = {
        key: str(base / value) if key in PATH_OPTIONS and not Path(value).is_absolute() else value
        for key, value in options.items()
    }
    try:
        return registry.create(name, **resolved)
    except KeyError as error:
        raise WijkradarError(f"{where}: {error.args[0]}") from None
    except TypeError as error:
        raise WijkradarError(f"{where}: source {name!r}: {error}") from None


def parse_source_option(text: str) -> tuple[str, dict[str, str]]:
    """'NAME' or 'NAME:key=value,key=value' (the CLI's --source) -> name and options."""
    name, _, rest = text.partition(":")
    options: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise WijkradarError(
                f"--source {text!r}: expected NAME or NAME:key=value,key=value, found {part!r}"
            )
        options[key.strip()] = value.strip()
    if not name.strip():
        raise WijkradarError(f"--source {text!r}: no source name")
    return name.strip(), options
