"""The docs are checked against the code, so they cannot drift: every CLI command and option,
every setting and every API route must be documented where a user would look for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from wijkradar.api.app import create_app
from wijkradar.api.settings import Settings
from wijkradar.cli import app as cli_app
from wijkradar.cli import register_commands

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def _commands() -> dict[str, list[str]]:
    """Command name -> its long option names, read from the Typer app itself."""
    register_commands()
    group = get_command(cli_app)
    assert isinstance(group, typer.core.TyperGroup)
    found: dict[str, list[str]] = {}
    for name, command in group.commands.items():
        options = [
            opt
            for param in command.params
            for opt in getattr(param, "opts", [])
            if opt.startswith("--") and opt != "--help"
        ]
        found[name] = options
    return found


def _section(text: str, command: str) -> str:
    """The part of docs/cli.md under `## wijkradar <command>`, up to the next `## ` heading."""
    match = re.search(rf"^## wijkradar {re.escape(command)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/cli.md has no section '## wijkradar {command}'"
    return match.group(0)


def test_every_cli_command_and_option_is_in_docs_cli() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"build", "demo", "status", "regions", "show", "rank", "export", "serve"} <= set(
        commands
    )
    for command, options in commands.items():
        section = _section(text, command)
        for option in options:
            assert f"`{option}" in section, f"docs/cli.md: {command} does not document {option}"


def test_readme_names_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in _commands():
        assert f"wijkradar {command}" in readme, f"README.md does not mention {command}"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    env = f"WIJKRADAR_{field.upper()}"
    assert env in (DOCS / "web.md").read_text(encoding="utf-8"), f"docs/web.md lacks {env}"
    assert env in (REPO / ".env.example").read_text(encoding="utf-8"), f".env.example lacks {env}"


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    api_doc = (DOCS / "api.md").read_text(encoding="utf-8")
    app = create_app(Settings(db=tmp_path / "absent.duckdb"))
    paths = sorted(path for path in app.openapi()["paths"] if path.startswith("/api/v1"))
    assert paths, "no /api/v1 routes found"
    for path in paths:
        short = path.removeprefix("/api/v1")
        # Format suffixes are documented by example: /exports/{level}.csv.
        forms = {path, short, short.replace("{fmt}", "csv")}
        assert any(form in api_doc for form in forms), f"docs/api.md does not document {path}"


def test_every_source_has_a_docs_page() -> None:
    from wijkradar.sources import registry

    pages = {p.stem for p in (DOCS / "sources").glob("*.md")}
    for name in registry.names():
        stem = name.removesuffix("-files").removesuffix("-online")
        assert stem in pages, f"source {name!r} has no docs/sources/{stem}.md"
