"""Import hygiene: no cycles among the package's modules, and no heavy library loaded at import."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tinygrad_edu"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, anywhere in it (inside functions too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            source = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # `from . import data` imports the module tinygrad_edu.data
            targets = [source] + [f"{source}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "import_module":
            targets = (
                [f"{package}{node.args[0].value}"] if isinstance(node.args[0], ast.Constant) else []
            )
        else:
            continue
        found |= {t for t in targets if t in modules and t != name}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, modules) for p in paths}


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "tinygrad_edu.explorer" in graph["tinygrad_edu.explain"]  # to_html imports it lazily
    assert "tinygrad_edu.ops" in graph["tinygrad_edu.engine"]


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    packages = {name for name in graph if (PACKAGE.parent / name.replace(".", "/")).is_dir()}

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return path + [nxt]
                # a package's __init__ is imported by its submodules' loading, not by their code
                if nxt not in path and nxt not in packages:
                    stack.append((nxt, path + [nxt]))
        return None

    cycles = [cycle for name in graph if name not in packages if (cycle := cycle_from(name))]
    assert not cycles, " ; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_engine_and_the_table_import_nothing_heavy_and_nothing_above_them():
    graph = import_graph()
    assert graph["tinygrad_edu.ops"] <= {"tinygrad_edu.symbols"}
    assert graph["tinygrad_edu.engine"] <= {
        "tinygrad_edu.ops",
        "tinygrad_edu.methods",
        "tinygrad_edu.hooks",
        "tinygrad_edu.accumulation",
    }


@pytest.mark.parametrize(
    "statement", ["import tinygrad_edu", "from tinygrad_edu import Value, MLP, fit"]
)
def test_importing_loads_no_heavy_library(statement):
    heavy = ["graphviz", "tqdm", "matplotlib", "numpy", "torch"]
    code = f"import sys; {statement}; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_a_heavy_name_loads_on_first_use():
    code = (
        "import sys, tinygrad_edu; assert 'graphviz' not in sys.modules; "
        "f = tinygrad_edu.draw_dot; print('graphviz' in sys.modules, f.__module__)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.split() == ["True", "tinygrad_edu.draw.graph"]
