"""No import cycle among the approvals packages: the features are wired by create_app.

The graph is drawn at package level: `approvals.claims` depends on `approvals.finance` when
any module of claims imports anything from finance, at the top of a file or inside a
function (an import deferred into a function hides a cycle from Python, not from design);
only the names imported under `if TYPE_CHECKING:` for annotations are left out.
A top-level module (`approvals/db.py`, `approvals/money.py` …) is a node of its own; the
root `approvals/__init__.py`, the application factory that imports every feature, is left
out, and so is `approvals/models.py`, whose job is to import every model for metadata.
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from pathlib import Path

import approvals

ROOT = Path(approvals.__file__).parent
# Importers of everything by design: they sit above every feature and nothing imports them.
ASSEMBLERS = {"approvals", "approvals.models"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _node(module: str) -> str | None:
    """The package (or top-level module) a module belongs to: `approvals.<first part>`."""
    parts = module.split(".")
    if parts[0] != "approvals":
        return None
    return "approvals" if len(parts) == 1 else f"approvals.{parts[1]}"


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the import nodes under `if TYPE_CHECKING:`: names for annotations, which
    Python never imports."""
    skipped = set()
    for item in ast.walk(tree):
        if isinstance(item, ast.If) and "TYPE_CHECKING" in ast.unparse(item.test):
            skipped.update(id(node) for stmt in item.body for node in ast.walk(stmt))
    return skipped


def _imported(tree: ast.AST, package: str):
    """(module, line) for every import in the file that runs, relative ones resolved."""
    skipped = _type_checking_only(tree)
    for item in ast.walk(tree):
        if id(item) in skipped:
            continue
        if isinstance(item, ast.Import):
            for alias in item.names:
                yield alias.name, item.lineno
        elif isinstance(item, ast.ImportFrom):
            base = item.module or ""
            if item.level:
                anchor = package.split(".")[: len(package.split(".")) - item.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "approvals":  # `from approvals import claims`: the feature itself
                for alias in item.names:
                    yield f"approvals.{alias.name}", item.lineno
            else:
                yield base, item.lineno


def import_graph() -> dict[str, dict[str, list[str]]]:
    """node → {imported node: ["file:line", …]}."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        source = _node(module)
        if source in ASSEMBLERS or module in ASSEMBLERS:
            continue
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for imported, line in _imported(tree, package):
            target = _node(imported)
            if target is None or target == source or target in ASSEMBLERS:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{line}"
            graph[source][target].append(where)
    return graph


def cycles(graph) -> list[list[str]]:
    """Every strongly connected group of more than one node (Tarjan), each listed sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def shortest_cycles(graph, group: list[str]) -> list[list[str]]:
    """For each edge inside `group`, the shortest way back: the loops to break, shortest
    first (a cycle is listed once, from its smallest node)."""
    members = set(group)
    found = set()
    for source in group:
        for target in graph[source]:
            if target not in members:
                continue
            back = {target: None}
            queue = deque([target])
            while queue and source not in back:
                node = queue.popleft()
                for nxt in graph.get(node, {}):
                    if nxt in members and nxt not in back:
                        back[nxt] = node
                        queue.append(nxt)
            loop, node = [], source  # source ← … ← target, then the edge source → target
            while node is not None:
                loop.append(node)
                node = back[node]
            loop.reverse()
            start = loop.index(min(loop))
            found.add(tuple(loop[start:] + loop[:start]))
    return sorted((list(c) for c in found), key=lambda c: (len(c), c))


def describe(graph, group: list[str]) -> str:
    members = set(group)
    lines = [" ↔ ".join(group)]
    for loop in shortest_cycles(graph, group):
        lines.append("  loop: " + " → ".join([*loop, loop[0]]))
    for source in group:
        for target, places in sorted(graph[source].items()):
            if target in members:
                lines.append(f"  {source} → {target}: {', '.join(places)}")
    return "\n".join(lines)


def test_no_import_cycle_among_approvals_packages():
    graph = import_graph()
    found = cycles(graph)
    report = "\n".join(describe(graph, group) for group in found)
    print(report)
    assert not found, f"import cycles among approvals packages:\n{report}"


def test_the_cycle_finder_sees_a_cycle_through_three_packages():
    graph = {
        "a": {"b": ["a.py:1"]},
        "b": {"c": ["b.py:2"], "a": ["b.py:3"]},
        "c": {"a": ["c.py:3"]},
        "d": {"a": ["d.py:1"]},
    }
    assert cycles(graph) == [["a", "b", "c"]]
    assert shortest_cycles(graph, ["a", "b", "c"]) == [["a", "b"], ["a", "b", "c"]]
