"""`make test-binder`: is the Binder image right, and do the notebooks run in it?

1. Ask repo2docker (pinned, --no-build: no Docker needed) for the Dockerfile Binder would build, and
   check that it uses binder/, the Python of binder/runtime.txt, installs binder/requirements.txt
   after the repository is copied (needed for `-e .`), and runs binder/postBuild if there is one.
2. Rebuild that environment in a fresh venv: the base image's Jupyter packages at the versions in
   repo2docker's own lock file, then `pip install -r binder/requirements.txt` from the repository
   root (as the Dockerfile does), then binder/postBuild.
3. Execute every notebooks/*.ipynb from inside notebooks/, then every notebooks/zh/*.ipynb from inside
   notebooks/zh/ (the Chinese edition), on that venv's kernel (see run_notebooks.py).
4. Then add pytest and nbval (requirements.txt's pins) to that venv and run strict nbval: the outputs
   stored in the notebooks must be exactly what a student on Binder gets.

Run with the Python of the venv that has jupyter-repo2docker (tests/binder/requirements.txt).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# The base image's packages a notebook user touches; their versions are read from repo2docker's lock.
BASE_PACKAGES = (
    "jupyterlab",
    "notebook",
    "jupyter_server",
    "ipykernel",
    "ipywidgets",
    "widgetsnbextension",
    "jupyterlab_widgets",
    "nbclient",
    "nbconvert",
)
# requirements.txt pins these on purpose to the base image's versions (README, requirements.txt).
MUST_MATCH_BASE = ("jupyterlab", "ipywidgets")


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[test-binder] {message}", flush=True)


def run(
    cmd: list[str], *, cwd: Path = ROOT, env: dict | None = None, timeout: float = 900
) -> subprocess.CompletedProcess:
    say("$ " + " ".join(str(part) for part in cmd))
    return subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, check=True, text=True)


# ----------------------------------------------------------------------------
# 1. the Dockerfile repo2docker would build
# ----------------------------------------------------------------------------


def expected_base_lock(python_version: str) -> tuple[Path, str]:
    """repo2docker's lock file of the base environment for this Python, and the name under which
    its Dockerfile copies it (computed with repo2docker's own function, so no format is guessed)."""
    import repo2docker.buildpacks.conda as conda_buildpack
    from repo2docker.buildpacks.base import BuildPack

    lock = Path(conda_buildpack.__file__).parent / f"environment.py-{python_version}-linux-64.lock"
    name, _ = BuildPack.generate_build_context_filename(str(lock))
    return lock, name


def dockerfile_from_repo2docker(repo2docker: Path) -> tuple[str, str]:
    # mybinder.org builds as user jovyan with uid 1000; without these repo2docker uses our uid.
    cmd = [str(repo2docker), "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", "."]
    say("$ " + " ".join(cmd))
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise CheckFailed(f"repo2docker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout, done.stderr


def check_dockerfile(dockerfile: str, log: str, python_version: str) -> Path:
    """Assert what the image will contain; return the path of the base environment's lock file."""
    problems = []
    if "COPY --chown=1000:1000 src/binder/requirements.txt" not in dockerfile:
        problems.append("the Dockerfile does not copy binder/requirements.txt: is binder/ being used?")
    if re.search(r'pip install [^\n]*-r "requirements.txt"', dockerfile):
        problems.append("the Dockerfile installs the top-level requirements.txt instead of binder/'s")
    if f"Building conda environment for python={python_version}" not in log:
        problems.append(f"repo2docker did not say it builds Python {python_version}:\n{log[-1500:]}")

    copy_repo = dockerfile.find("src/ ${REPO_DIR}/")
    install = re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', dockerfile)
    if not install:
        problems.append('the Dockerfile never runs pip install -r "binder/requirements.txt"')
    elif copy_repo < 0 or install.start() < copy_repo:
        problems.append(
            "binder/requirements.txt is installed before the repository is copied, so `-e .` cannot work"
        )

    has_post_build = (ROOT / "binder" / "postBuild").exists()
    if has_post_build != ("./binder/postBuild" in dockerfile):
        problems.append(
            f"binder/postBuild exists: {has_post_build}, but the Dockerfile runs it: {not has_post_build}"
        )

    lock, copied_as = expected_base_lock(python_version)
    if f"{copied_as} /tmp/env/environment.lock" not in dockerfile:
        problems.append(f"the Dockerfile does not install the base environment {lock.name}")
    elif not lock.exists():
        problems.append(f"repo2docker has no {lock}")
    if problems:
        raise CheckFailed("\n".join(problems))
    say(
        f"Dockerfile OK: binder/ used, Python {python_version}, base environment {lock.name}, "
        f"requirements installed after the copy, postBuild {'run' if has_post_build else 'absent'}"
    )
    return lock


def base_versions(lock_file: Path) -> dict[str, str]:
    """{package: version} of BASE_PACKAGES in a conda explicit lock (lines end in
    name-version-build.conda)."""
    text = lock_file.read_text(encoding="utf-8")
    versions = {}
    for name in BASE_PACKAGES:
        match = re.search(rf"/{re.escape(name)}-([0-9][^-/]*)-[^-/]+\.(?:conda|tar\.bz2)", text)
        if match:
            versions[name] = match.group(1)
    missing = sorted(set(MUST_MATCH_BASE) - set(versions))
    if missing:
        raise CheckFailed(f"{lock_file.name} lists no {missing}")
    return versions


def top_level_pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.\-]+)==([^\s#;]+)", line)
        if match:
            found[match.group(1).lower().replace("-", "_")] = match.group(2)
    return found


# ----------------------------------------------------------------------------
# 2. the same environment in a venv
# ----------------------------------------------------------------------------


def build_venv(python: str, venv: Path, base: dict[str, str]) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    run([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    # the base image first, then what the Dockerfile runs from ${REPO_DIR} (the repository root)
    run(pip + [f"{name}=={version}" for name, version in base.items()])
    run(pip + ["-r", "binder/requirements.txt"], cwd=ROOT)
    post_build = ROOT / "binder" / "postBuild"
    if post_build.exists():
        env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
        run(["bash", str(post_build)], cwd=ROOT, env=env)


# ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="interpreter of the Python Binder uses (runtime.txt)")
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "venvs" / "binder")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per notebook")
    args = parser.parse_args()

    started = time.monotonic()
    python_version = (
        (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    )
    actual = subprocess.run(
        [args.python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if actual != python_version:
        raise CheckFailed(
            f"--python {args.python} is Python {actual}, binder/runtime.txt asks for {python_version}"
        )

    repo2docker = Path(sys.executable).parent / "repo2docker"
    dockerfile, log = dockerfile_from_repo2docker(repo2docker)
    lock_file = check_dockerfile(dockerfile, log, python_version)
    base = base_versions(lock_file)
    say("base image: " + ", ".join(f"{name} {version}" for name, version in base.items()))
    pins = top_level_pins()
    clashes = [
        f"{name}: requirements.txt {pins.get(name)}, Binder base {base[name]}"
        for name in MUST_MATCH_BASE
        if pins.get(name) != base[name]
    ]
    if clashes:
        raise CheckFailed("requirements.txt no longer matches Binder's base image: " + "; ".join(clashes))
    for name in sorted(set(base) & set(pins) - set(MUST_MATCH_BASE)):
        if pins[name] != base[name]:
            say(
                f"note: {name} is {base[name]} on Binder and {pins[name]} in requirements.txt (not pinned "
                "in binder/)"
            )

    if not sorted((ROOT / "notebooks").glob("*.ipynb")):
        raise CheckFailed("no notebooks/*.ipynb to run")
    build_venv(args.python, args.venv, base)
    say(f"environment built in {time.monotonic() - started:.0f} s")
    python = str(args.venv / "bin" / "python")
    runner = [python, str(HERE / "run_notebooks.py"), "--timeout", str(args.timeout)]
    for folder in (ROOT / "notebooks", ROOT / "notebooks" / "zh"):  # the English series, then the Chinese
        run(
            runner,
            cwd=folder,
            timeout=None,
        )
    # Do the stored outputs reproduce on Binder? Strict nbval, as in `make test`, in the same venv
    # (pytest and nbval added only now, after the notebooks ran in the pure Binder environment).
    checkers = [f"{name}=={pins[name]}" for name in ("pytest", "nbval")]
    run(
        [
            str(args.venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            *checkers,
        ]
    )
    run(
        [
            str(args.venv / "bin" / "python"),
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "-q",
            "notebooks",
        ],
        timeout=None,
    )
    say(f"total {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (CheckFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        say(f"FAILED: {error}")
        sys.exit(1)
