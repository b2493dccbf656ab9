"""The admin code is a package, one module per concern, with imports running one way."""

import ast
from pathlib import Path

import essays.admin

PACKAGE = Path(essays.admin.__file__).parent
MODULES = {
    "actions",
    "authors",
    "collections",
    "duplicates",
    "essays",
    "forms",
    "history",
    "imports",
    "lists",
    "logins",
    "sources",
    "structure",
    "themes",
}


def imports_within_the_package(path: Path) -> set[str]:
    """The sibling modules a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_the_admin_is_a_package_of_one_module_per_concern():
    assert {p.stem for p in PACKAGE.glob("*.py")} == MODULES | {"__init__"}
    old = [p.name for p in PACKAGE.parent.glob("admin*.py")]
    assert old == []


def test_no_import_cycle_between_admin_modules():
    graph = {name: imports_within_the_package(PACKAGE / f"{name}.py") & MODULES for name in MODULES}

    def cycle_from(name, path):
        if name in path:
            return path[path.index(name) :] + [name]
        for nxt in sorted(graph[name]):
            found = cycle_from(nxt, [*path, name])
            if found:
                return found
        return None

    cycles = [c for c in (cycle_from(name, []) for name in sorted(MODULES)) if c]
    assert cycles == []


def test_admin_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert max(sizes.values()) < 600, sizes
