"""The layout holds: one home per concern, modules of readable size, no cycles, no private name shared."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("rnn_lab", "rnn_viz", "rnn_check")
MAX_LINES = 800


def project_modules() -> dict:
    """Dotted module name -> path, for rnn_core and every module of the project's packages."""
    modules = {"rnn_core": ROOT / "rnn_core.py"}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            modules[name] = path
    return modules


def is_project(name: str) -> bool:
    return name.split(".")[0] in ("rnn_core",) + PACKAGES


def imports_of(tree: ast.Module) -> list:
    """(module imported, names imported from it) for every import statement, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


MODULES = project_modules()


def test_the_layout_is_the_one_the_readme_describes():
    assert set(MODULES) >= {
        "rnn_core", "rnn_lab.tasks", "rnn_lab.train", "rnn_lab.dynamics",
        "rnn_viz.style", "rnn_viz.display", "rnn_viz.plots", "rnn_viz.widgets",
        "rnn_check.cases", "rnn_check.child", "rnn_check.reference", "rnn_check.judging",
        "rnn_check.student", "rnn_check.sandbox", "rnn_check.grading", "rnn_check.__main__",
    }  # fmt: skip
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in MODULES:
        if not name.endswith("__main__") and "." in name:
            assert f"`{name.split('.')[-1]}`" in readme or name in readme, (
                f"README's layout table lacks {name}"
            )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_800_lines(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by concern"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_is_used_across_modules(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    aliases = {}  # local name -> project module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if is_project(alias.name):
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and is_project(node.module):
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            assert not private, f"{name} imports private {private} from {node.module}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = ast.unparse(node.value)
            if base in aliases and aliases[base] != name:
                pytest.fail(
                    f"{name} uses the private {base}.{node.attr} (line {node.lineno}): make it public"
                )


def test_there_are_no_circular_imports():
    graph = {}
    for name, path in MODULES.items():
        targets = set()
        for module, names in imports_of(ast.parse(path.read_text(encoding="utf-8"))):
            if not is_project(module):
                continue
            # `from rnn_lab import tasks` imports the module rnn_lab.tasks
            targets |= {f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES} or {module}
        graph[name] = {t for t in targets if t in MODULES and t != name}
    visiting, done = set(), set()

    def visit(node, path):
        if node in done:
            return
        assert node not in visiting, "circular import: " + " -> ".join(path + [node])
        visiting.add(node)
        for target in sorted(graph[node]):
            if not (target in PACKAGES and node.startswith(target + ".")):  # a module reading its own package
                visit(target, path + [node])
        visiting.discard(node)
        done.add(node)

    for name in sorted(graph):
        visit(name, [])


def test_the_child_module_imports_nothing_of_the_project():
    tree = ast.parse(MODULES["rnn_check.child"].read_text(encoding="utf-8"))
    assert not [module for module, _ in imports_of(tree) if is_project(module)]
