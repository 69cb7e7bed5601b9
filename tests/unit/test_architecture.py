"""Direction of dependencies (STYLE.md §2): data/ knows nothing of Dash or Flask; layouts/ never touch the database.

Imports are read with ast, so comments, strings and names that merely contain a module name do not count, and
imports inside functions or behind `if TYPE_CHECKING` do.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The Dash and Flask families: dash, dash_bootstrap_components (dbc), dash_ag_grid, flask, flask_login, flask_wtf …
UI_PACKAGES = ("dash", "flask")
DATABASE_PACKAGES = ("data", "sqlalchemy", "alembic")
# Modules of data/ that layouts may use: plain functions with no database behind them (Swedish number and date
# formats, shared with the exports). The test below keeps them that way.
PLAIN_DATA_MODULES = ("data.format",)


def imported_modules(source: str, module: str) -> set[str]:
    """Absolute names of every module `source` imports; `module` is its own dotted name, for relative imports."""
    package = module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            if node.module:
                names.add(".".join([*base, node.module]))
            else:  # `from . import x`: each x is a module (or a name) of the package
                names.update(".".join([*base, alias.name]) for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
        ):
            names.add(node.args[0].value)
    return names


def is_in(name: str, families: tuple[str, ...]) -> bool:
    top = name.split(".")[0]
    return any(top == f or top.startswith(f + "_") for f in families)


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def forbidden_imports(path: Path, families: tuple[str, ...]) -> list[str]:
    names = imported_modules(path.read_text(encoding="utf-8"), module_name(path))
    return sorted(n for n in names if is_in(n, families))


@pytest.mark.parametrize("path", python_files("data"), ids=lambda p: str(p.relative_to(ROOT)))
def test_data_does_not_import_dash_or_flask(path):
    assert forbidden_imports(path, UI_PACKAGES) == []


@pytest.mark.parametrize("path", python_files("layouts"), ids=lambda p: str(p.relative_to(ROOT)))
def test_layouts_do_not_import_data_or_sqlalchemy(path):
    assert [n for n in forbidden_imports(path, DATABASE_PACKAGES) if n not in PLAIN_DATA_MODULES] == []


@pytest.mark.parametrize("module", PLAIN_DATA_MODULES)
def test_the_data_modules_layouts_may_use_import_nothing_of_the_project_or_a_database(module):
    path = ROOT / (module.replace(".", "/") + ".py")
    assert forbidden_imports(path, DATABASE_PACKAGES) == []


@pytest.mark.parametrize("folder", ["data", "layouts"])
def test_the_checked_folders_hold_python_files(folder):
    assert len(python_files(folder)) >= 3


@pytest.mark.parametrize(
    ("source", "module", "found"),
    [
        ("import dash", "data.x", "dash"),
        ("import dash_bootstrap_components as dbc", "data.x", "dash_bootstrap_components"),
        ("from dash import html", "data.x", "dash"),
        ("from flask import current_app", "data.x", "flask"),
        ("import flask_login", "data.x", "flask_login"),
        ("def f():\n    import flask\n", "data.x", "flask"),
        ("import importlib\nimportlib.import_module('dash')", "data.x", "dash"),
        ("from data.models import Project", "layouts.x", "data.models"),
        ("from .. import data", "layouts.x", "data"),
        ("from ..data import models", "layouts.x", "data"),
        ("import sqlalchemy.orm", "layouts.x", "sqlalchemy.orm"),
    ],
)
def test_import_reader_finds_every_form_of_import(source, module, found):
    assert found in imported_modules(source, module)


@pytest.mark.parametrize(
    "source",
    ["# import dash", "x = 'import flask'", "import dashboard", "from dashboards import x", "import flaskish_not"],
)
def test_import_reader_ignores_comments_strings_and_lookalike_names(source):
    assert not [n for n in imported_modules(source, "data.x") if is_in(n, UI_PACKAGES)]
