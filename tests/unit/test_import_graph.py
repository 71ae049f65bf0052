"""The import graph of ``app/``: no cycles, and the board core below every domain.

The graph is built by reading every module's source with :mod:`ast` — every ``import`` and
``from … import`` statement anywhere in it, also inside functions (a lazy import still ties two
modules together), also under ``if TYPE_CHECKING:``. ``from pinnwand.x import y`` counts as an
import of the module ``pinnwand.x.y`` when there is one, else of ``pinnwand.x``.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
PACKAGE = "pinnwand"
# What the board core may build on: the database plumbing, errors, and the models.
BOARD_MAY_IMPORT = {"pinnwand.db", "pinnwand.errors"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def modules() -> dict[str, Path]:
    """Every module of ``app/`` by its import name."""
    return {module_name(path): path for path in sorted(APP.rglob("*.py"))}


def imported_names(path: Path, name: str) -> set[str]:
    """The dotted names of everything ``path`` (the module ``name``) imports from the package,
    relative imports resolved; ``from a import b`` yields ``a.b`` (resolved to a module later)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{alias.name}" for alias in node.names)
            found.add(base)
    return {dotted for dotted in found if dotted.split(".")[0] == PACKAGE}


def resolve(dotted: str, known: dict[str, Path]) -> str | None:
    """The module a dotted name lives in: itself, or its longest prefix that is a module."""
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    """Each module of ``app/`` with the modules of ``app/`` it imports."""
    known = modules()
    imports: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {resolve(dotted, known) for dotted in imported_names(path, name)}
        imports[name] = targets - {None, name}
    return imports


def test_the_graph_sees_the_lazy_imports(graph):
    """A sanity check of the reader: imports inside functions are found."""
    assert len(graph) > 100
    assert "pinnwand.workshops.sockets" in graph["pinnwand.factory"]  # inside a function
    assert "pinnwand.board.seq" in graph["pinnwand.ideas.services"]


def test_a_cycle_is_found():
    """A sanity check of the cycle search on a graph that has one."""
    with pytest.raises(CycleError):
        TopologicalSorter({"a": {"b"}, "b": {"c"}, "c": {"a"}}).prepare()


def test_no_module_of_app_imports_itself_through_others(graph):
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(reversed(error.args[1]))}")


def test_the_board_core_builds_on_no_domain(graph):
    """``pinnwand.board`` is below the domains: it imports only itself, the database
    plumbing, the errors and models."""
    board = [name for name in graph if name.startswith("pinnwand.board")]
    assert "pinnwand.board.write" in board
    above = sorted(
        (module, target) for module in board for target in graph[module]
        if not (target.startswith("pinnwand.board") or target in BOARD_MAY_IMPORT
                or target.endswith(".models"))
    )
    assert above == [], f"the board core imports from above it: {above}"
