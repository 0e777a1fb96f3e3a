"""Layers point one way: a domain app never imports a page app, and page apps never import
each other (what two of them share lives below them)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pertutti"
PAGE_APPS = {"public", "manage", "api"}
DOMAIN_APPS = {
    "territories", "taxonomy", "directory", "accounts", "importing", "translations", "search",
    "printing",
}  # fmt: skip


def imported_apps(path: Path) -> set[str]:
    """The pertutti.<app> packages a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "pertutti" and len(parts) > 1:
                found.add(parts[1])
    return found


def modules(app: str) -> list[Path]:
    return sorted((PACKAGE / app).rglob("*.py"))


@pytest.mark.parametrize("app", sorted(DOMAIN_APPS))
def test_domain_apps_never_import_page_apps(app):
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_apps(path) & PAGE_APPS)
        for path in modules(app)
        if imported_apps(path) & PAGE_APPS
    }
    assert not offenders


@pytest.mark.parametrize("app", sorted(PAGE_APPS))
def test_page_apps_never_import_each_other(app):
    others = PAGE_APPS - {app}
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_apps(path) & others)
        for path in modules(app)
        if imported_apps(path) & others
    }
    assert not offenders


def test_the_check_sees_an_import():
    """The checker itself: it finds `from pertutti.public.x import y` in a module."""
    assert "public" in imported_apps(PACKAGE / "urls.py")
