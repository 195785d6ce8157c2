"""The house's arrows, read from every module's own imports (type-only ones included).

The layers point one way (cli -> gui -> calven -> store -> roster, with roster importing none of
ours), the window's folders point downwards too, and no module imports one that imports it back:
a cycle is how a layer starts leaning on the one above it without anyone deciding so.
"""

from __future__ import annotations

import ast
from pathlib import Path

import calven_desk

PACKAGE = Path(calven_desk.__file__).parent

#: What each part of calven_desk may import of ours, besides itself. `logs` and the package's own
#: `__init__` (its version) sit beneath everything but the pure roster engine.
BASE = {"calven_desk", "calven_desk.logs"}
LAYERS: dict[str, set[str]] = {
    "calven_desk.roster": set(),
    "calven_desk.store": {"calven_desk.roster", *BASE},
    "calven_desk.calven": {"calven_desk.roster", "calven_desk.store", *BASE},
    "calven_desk.gui": {"calven_desk.roster", "calven_desk.store", "calven_desk.calven", *BASE},
    "calven_desk.cli": {
        "calven_desk.roster",
        "calven_desk.store",
        "calven_desk.calven",
        "calven_desk.gui",
        *BASE,
    },
}
#: Within gui: what each folder (or top-level module) may import of gui besides itself.
GUI = "calven_desk.gui"
GUI_FOLDERS: dict[str, set[str]] = {
    "start": set(),
    "threads": set(),
    "look": set(),
    "table": {"threads", "look"},
    "dialogs": {"table", "threads", "look"},
    "timeline": {"table", "threads", "look"},
    "window": {"table", "threads", "dialogs", "timeline", "start", "look"},
    "main_window": {"window", "table", "threads", "dialogs", "timeline", "start", "look"},
    "app": {"main_window", "selftest", "start", "threads", "look"},
    "selftest": {"main_window", "table", "threads", "start", "timeline", "look"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: dict[str, Path], package: str = "") -> set[str]:
    """Every module of ours this file imports anywhere (in functions and TYPE_CHECKING too);
    `package` is the one relative imports start from (the file's own)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("calven_desk"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if not base.startswith("calven_desk"):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {
        name: imports_of(
            path, known, name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        )
        & set(known) - {name}
        for name, path in known.items()
    }


def top(name: str) -> str:
    return ".".join(name.split(".")[:2])


def gui_part(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "gui" else None


def test_each_layer_imports_only_the_layers_below_it() -> None:
    wrong = []
    for name, targets in graph().items():
        layer = top(name)
        if layer not in LAYERS:
            continue
        for target in targets:
            if (
                top(target) != layer
                and target not in LAYERS[layer]
                and top(target) not in LAYERS[layer]
            ):
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_the_windows_folders_import_downwards_only() -> None:
    wrong = []
    for name, targets in graph().items():
        part = gui_part(name)
        if part is None:
            continue
        for target in targets:
            other = gui_part(target)
            if other is None or other == part:
                continue
            if other not in GUI_FOLDERS.get(part, set()):
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_every_folder_of_the_window_is_known_and_says_what_it_holds() -> None:
    folders = [p for p in (PACKAGE / "gui").iterdir() if (p / "__init__.py").exists()]
    assert folders
    for folder in folders:
        assert folder.name in GUI_FOLDERS, folder
        docstring = ast.get_docstring(ast.parse((folder / "__init__.py").read_text()))
        assert docstring, folder


def test_no_module_imports_one_that_imports_it_back() -> None:
    edges = graph()
    packages = {n: p for n, p in modules().items() if p.name == "__init__.py"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            # A package's __init__ that re-exports its own modules is Python's way, not a cycle.
            real = [m for m in component if m not in packages]
            if len(real) > 1:
                cycles.append(sorted(real))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_checker_sees_a_cycle_and_a_wrong_arrow(tmp_path: Path) -> None:
    """The reader of imports finds type-only and in-function imports (else the tests above prove nothing)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from calven_desk.gui.table.model import RosterTableModel\n"
        "def f():\n    from calven_desk.roster import check\n"
    )
    found = imports_of(sample, modules())
    assert found == {"calven_desk.gui.table.model", "calven_desk.roster.check"}
