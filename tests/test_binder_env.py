"""Binder's environment (binder/) must match the one `make lab` and `make test` build.

A student on Binder and a lecturer with `make lab` should run the notebooks on the same numpy,
matplotlib and ipywidgets, and import the repository's modules the same way. These checks read
files only (no network, no Docker); `make test-binder` builds the environment for real.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10; pytest itself depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a pip requirements file, without comments and blank lines."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()  # pip's rule: '#' starts a comment after whitespace
        if line:
            lines.append(line)
    return lines


def pins(path: Path) -> dict[str, str]:
    """{normalised package name: exact version} for every `name==version` line; options are skipped."""
    found = {}
    for line in requirement_lines(path):
        if line.startswith("-"):
            continue
        req = Requirement(line)
        exact = [spec.version for spec in req.specifier if spec.operator == "=="]
        assert exact, f"{path.name}: '{line}' is not pinned with '=='; every requirement here must be pinned"
        found[canonicalize_name(req.name)] = exact[0]
    return found


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------
# the parsing helpers themselves (so a broken parser cannot make the checks below pass vacuously)
# ----------------------------------------------------------------------------


def test_pins_parser_reads_names_versions_and_skips_options(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\nNumPy==2.2.6   # why\n\n-e .\nmatplotlib==3.10.8\n", encoding="utf-8")
    assert pins(req) == {"numpy": "2.2.6", "matplotlib": "3.10.8"}


def test_pins_parser_refuses_an_unpinned_requirement(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("numpy>=2\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not pinned"):
        pins(req)


# ----------------------------------------------------------------------------
# binder/ against requirements.txt and pyproject.toml
# ----------------------------------------------------------------------------


def test_binder_pins_equal_the_top_level_pins():
    binder_pins = pins(BINDER / "requirements.txt")
    top_pins = pins(ROOT / "requirements.txt")
    assert binder_pins, "binder/requirements.txt pins nothing"
    missing = sorted(set(binder_pins) - set(top_pins))
    assert not missing, (
        f"binder/requirements.txt pins {missing}, which requirements.txt does not: add them there too"
    )
    drifted = {
        name: (version, top_pins[name]) for name, version in binder_pins.items() if top_pins[name] != version
    }
    assert not drifted, (
        "binder/requirements.txt and requirements.txt disagree (binder, top level): "
        + ", ".join(f"{name} {b} vs {t}" for name, (b, t) in sorted(drifted.items()))
    )


def test_binder_pins_every_runtime_dependency_of_the_package():
    # pyproject's `dependencies` are what the modules import; Binder must pin each of them,
    # otherwise `-e .` would pull whatever version is newest on the day the image is built.
    needed = {canonicalize_name(Requirement(dep).name) for dep in pyproject()["project"]["dependencies"]}
    unpinned = sorted(needed - set(pins(BINDER / "requirements.txt")))
    assert not unpinned, f"binder/requirements.txt does not pin {unpinned}, which pyproject.toml depends on"


def test_binder_installs_the_repository_editable_like_make_lab():
    lines = requirement_lines(BINDER / "requirements.txt")
    post_build = BINDER / "postBuild"
    editable_in_post_build = post_build.exists() and re.search(
        r"pip install .*-e \.(\s|$)", post_build.read_text(encoding="utf-8")
    )
    assert "-e ." in lines or editable_in_post_build, (
        "binder/ must install the repository with `-e .` (a line in binder/requirements.txt or in "
        "binder/postBuild), as `make lab` does, so notebooks can `import rnn_core`"
    )


def test_binder_python_is_one_the_project_supports():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(3\.\d+)", runtime)
    assert match, f"binder/runtime.txt should read like 'python-3.12', found {runtime!r}"
    requires = SpecifierSet(pyproject()["project"]["requires-python"])
    assert match.group(1) + ".0" in requires, (
        f"runtime.txt asks for Python {match.group(1)}, pyproject requires {requires}"
    )


def test_post_build_if_any_stops_at_the_first_error():
    post_build = BINDER / "postBuild"
    if not post_build.exists():
        pytest.skip("no binder/postBuild: nothing to check")
    lines = [line for line in post_build.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = [line for line in lines if not line.startswith("#")]
    assert body and body[0].strip() == "set -e", (
        "binder/postBuild must start with `set -e` so a failed step fails the build"
    )


def test_every_module_and_package_at_the_top_is_installed_by_pip_install_e():
    # `pip install -e .` (make lab, Binder) only exposes the modules listed in py-modules and the packages
    # listed in packages: one left out imports in `make test` from the repo root but not in a notebook.
    setuptools = pyproject()["tool"]["setuptools"]
    modules = {path.stem for path in ROOT.glob("*.py") if path.stem not in {"setup", "conftest"}}
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert modules <= set(setuptools["py-modules"]), (
        f"py-modules lacks {sorted(modules - set(setuptools['py-modules']))}"
    )
    assert packages <= set(setuptools["packages"]), (
        f"packages lacks {sorted(packages - set(setuptools['packages']))}"
    )
    assert packages == {"rnn_lab", "rnn_viz", "rnn_check"}, packages


def test_the_sandbox_blocks_every_package_of_the_project():
    """The child's block list names every top-level module and package of the repository."""
    from rnn_check.child import PROJECT_PACKAGES

    setuptools = pyproject()["tool"]["setuptools"]
    assert set(PROJECT_PACKAGES) == set(setuptools["py-modules"]) | set(setuptools["packages"])


# ----------------------------------------------------------------------------
# the launch links in README.md and docs/binder.md
# ----------------------------------------------------------------------------

BINDER_LINK = re.compile(
    r"https://mybinder\.org/v2/gh/([^/\s]+/[^/\s]+)/([^?\s]+)\?urlpath=lab/tree/([^)\s`]+)"
)
PULLER_LINK = re.compile(
    r"/hub/user-redirect/git-pull\?repo=https%3A%2F%2Fgithub\.com%2F([^%&]+)%2F([^&]+)&branch=([^&]+)&urlpath=([^\s`)]+)"
)


def first_notebook() -> str:
    match = re.search(
        r"^FIRST_NOTEBOOK\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.MULTILINE
    )
    assert match, "Makefile defines no FIRST_NOTEBOOK"
    return match.group(1)


def test_binder_links_open_the_first_notebook_of_the_same_repository():
    links = []
    for doc in ("README.md", "docs/binder.md"):
        links += [(doc, *m.groups()) for m in BINDER_LINK.finditer((ROOT / doc).read_text(encoding="utf-8"))]
    assert {doc for doc, *_ in links} == {"README.md", "docs/binder.md"}, (
        "README.md and docs/binder.md each need a Binder link"
    )
    assert len({repo for _, repo, _, _ in links}) == 1, (
        f"the Binder links name different repositories: {links}"
    )
    for doc, repo, branch, path in links:
        assert path == first_notebook(), (
            f"{doc}: the Binder link opens {path}, `make lab` opens {first_notebook()}"
        )
        assert branch == "main", f"{doc}: the Binder link builds branch {branch!r}, not main"


def test_nbgitpuller_link_names_the_branch_and_the_clone_folder():
    text = (ROOT / "docs" / "binder.md").read_text(encoding="utf-8")
    ((owner, name, branch, urlpath),) = [m.groups() for m in PULLER_LINK.finditer(text)]
    binder_repo = BINDER_LINK.search(text).group(1)
    assert f"{owner}/{name}" == binder_repo, "the nbgitpuller and Binder links name different repositories"
    assert branch == "main"
    # nbgitpuller clones into a folder named after the repository, and urlpath starts from the home folder
    assert urlpath == f"lab%2Ftree%2F{name}%2F" + first_notebook().replace("/", "%2F")


# ----------------------------------------------------------------------------
# every import of the notebooks and modules is installed on Binder
# ----------------------------------------------------------------------------

# What Binder's base image brings (repo2docker's environment; `make test-binder` checks the versions).
BINDER_BASE = ("jupyterlab", "notebook", "ipykernel", "ipywidgets")


def top_level_imports(source: str) -> set[str]:
    """Top-level module names of every import statement (parsed, so prose and docstrings don't count;
    IPython's %magic and !shell lines are dropped first)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def installed_with(distributions) -> set[str]:
    """The given distributions and everything they require, as installed here (extras skipped)."""
    from importlib import metadata

    seen, todo = set(), [canonicalize_name(d) for d in distributions]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def test_top_level_imports_parser():
    source = '''"""Docstring: from the top, import a thing."""
%matplotlib inline
import numpy as np, os.path
from matplotlib import pyplot
from . import sibling
def f():
    import rnn_core
x = 1  # import no
'''
    assert top_level_imports(source) == {"numpy", "os", "matplotlib", "rnn_core"}


def module_providers() -> dict:
    """Top-level importable name -> names of the installed distributions that provide it.

    Read from each distribution's list of files (its RECORD), which every Python from 3.10 on has;
    importlib.metadata.packages_distributions() misses numpy and matplotlib on Python 3.10.
    """
    from importlib import metadata

    providers: dict = {}
    for dist in metadata.distributions():
        names = set((dist.read_text("top_level.txt") or "").split())
        for file in dist.files or []:
            top = file.parts[0] if file.parts else ""
            if top.endswith(".py") and len(file.parts) == 1:
                names.add(top[:-3])
            elif (
                top and not top.endswith((".dist-info", ".egg-info", ".data", ".pth")) and len(file.parts) > 1
            ):
                names.add(top)
        for name in names:
            providers.setdefault(name, set()).add(dist.metadata["Name"])
    return providers


def test_module_providers_finds_numpy_and_matplotlib():
    providers = module_providers()
    assert "numpy" in providers["numpy"] and "matplotlib" in providers["matplotlib"], (
        "the file scan is broken"
    )


def test_every_third_party_import_is_installed_on_binder():
    import sys

    setuptools = pyproject()["tool"]["setuptools"]
    local = set(setuptools["py-modules"]) | set(setuptools["packages"])
    paths = list(ROOT.glob("*.py")) + [
        path for package in setuptools["packages"] for path in (ROOT / package).rglob("*.py")
    ]
    sources = [path.read_text(encoding="utf-8") for path in paths]
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources += ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    imported = (
        set().union(*map(top_level_imports, sources)) - local - set(sys.stdlib_module_names) - {"__future__"}
    )
    assert {"numpy", "matplotlib", "ipywidgets"} <= imported, "the import scan is broken"

    providers = module_providers()
    on_binder = installed_with(list(pins(BINDER / "requirements.txt")) + list(BINDER_BASE))
    missing = {}
    for module in sorted(imported):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & on_binder:
            missing[module] = sorted(dists) or ["(not installed here either)"]
    assert not missing, f"imported by the notebooks or modules but not installed by binder/: {missing}"
