"""Colab-like run: the chapters' notebooks executed from an empty folder, with rnnlearn installed as a wheel
into an environment that holds only what Colab preinstalls.

    python tools/colab_run.py              # every chapter in _toc.yml (`make colab`)
    python tools/colab_run.py --ci         # the two chapters of the colab stage of `make test`
    python tools/colab_run.py 06_lstm      # some chapters

1. The Colab-like base environment: a virtual environment with tools/colab-requirements.txt installed,
   made once and kept (in ~/.cache/rnnlearn, or $RNNLEARN_COLAB_ENV), remade when that file changes.
2. The rnnlearn wheel, built from a copy of the package's files (the checkout is left as it is).
3. A fresh virtual environment that sees the base environment's packages (a .pth file) and nothing else;
   the wheel is installed into it, so whatever rnnlearn needs beyond Colab's set (jupyterquiz,
   jupytercards, pyyaml, ...) must come in as the wheel's own dependencies.
4. The chapters' .ipynb files copied into an empty folder and executed there by that environment's
   Python (tools/colab_execute.py), network blocked (tools/offline), pip told to use no index and git
   allowed no remote: the install cell must find rnnlearn and skip its pip install, and no chapter may
   read a file of the repository or download anything.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "tools" / "colab-requirements.txt"
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402
from execute_chapters import offline_env  # noqa: E402

# The colab stage of `make test`: a cheap chapter, and one that runs the PyTorch and Keras twins.
CI_SAMPLE = ["01_sequences_and_memory", "08_pytorch_and_keras"]
PACKAGE_FILES = ["rnnlearn", "pyproject.toml", "README.md", "LICENSE", "LICENSE-TEXT.md"]


# ---- a static check first: every import of a chapter is provided --------------------------------

def requirement_names(path: Path) -> set[str]:
    from packaging.requirements import Requirement

    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {Requirement(line).name.lower() for line in lines if line and not line.startswith("-")}


def package_dependencies(root: Path) -> set[str]:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    return {Requirement(r).name.lower() for r in project["dependencies"]}


def with_dependencies(names: set[str]) -> set[str]:
    """The distributions and, through the installed metadata, everything they require (extras left out)."""
    import importlib.metadata

    from packaging.requirements import Requirement

    seen, todo = set(), [n.lower().replace("_", "-") for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name.lower().replace("_", "-"))
    return seen


def chapter_imports(root: Path, name: str) -> set[str]:
    """The top-level modules a chapter's code cells import."""
    import ast

    import nbformat

    modules = set()
    for cell in nbformat.read(root / "book" / f"{name}.ipynb", as_version=4).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def undeclared_imports(root: Path, names: list[str], requirements: Path = REQUIREMENTS) -> list[str]:
    """Modules the chapters import that neither Colab's set nor rnnlearn's dependencies bring."""
    import importlib.metadata

    provided_by = importlib.metadata.packages_distributions()
    allowed = with_dependencies(requirement_names(requirements) | package_dependencies(root))
    problems = []
    for name in names:
        for module in sorted(chapter_imports(root, name)):
            if module in sys.stdlib_module_names or module == "rnnlearn":
                continue
            distributions = {d.lower().replace("_", "-") for d in provided_by.get(module, [])}
            if not distributions & allowed:
                what = f" (from {', '.join(sorted(distributions))})" if distributions else ""
                problems.append(f"book/{name}.md imports {module}{what}, which neither Colab's set "
                                f"({requirements.name}) nor rnnlearn's dependencies (pyproject.toml) provide")
    return problems


# ---- the run ------------------------------------------------------------------------------------

def step(message: str) -> float:
    print(f"--- {message}", flush=True)
    return time.perf_counter()


def base_env_path() -> Path:
    if os.environ.get("RNNLEARN_COLAB_ENV"):
        return Path(os.environ["RNNLEARN_COLAB_ENV"])
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "rnnlearn" / "colab-env"


def requirements_key() -> str:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def venv_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def ensure_base_env(env: Path) -> None:
    """Make (or reuse) the environment holding Colab's preinstalled set."""
    stamp = env / ".colab-requirements"
    if stamp.exists() and stamp.read_text() == requirements_key():
        print(f"reusing the Colab-like base environment {env}")
        return
    shutil.rmtree(env, ignore_errors=True)
    base_python = Path(getattr(sys, "_base_executable", sys.executable))
    subprocess.run([str(base_python), "-m", "venv", str(env)], check=True)
    subprocess.run([str(venv_python(env)), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(requirements_key())


def build_requirements_met(root: Path) -> bool:
    """Whether this environment already has what pyproject.toml's build-system requires (then pip can
    build the wheel without first installing setuptools into an isolated environment)."""
    import importlib.metadata
    import tomllib

    from packaging.requirements import Requirement

    for text in tomllib.loads((root / "pyproject.toml").read_text())["build-system"]["requires"]:
        requirement = Requirement(text)
        try:
            if not requirement.specifier.contains(importlib.metadata.version(requirement.name), prereleases=True):
                return False
        except importlib.metadata.PackageNotFoundError:
            return False
    return True


def build_wheel(work: Path) -> Path:
    source, dist = work / "source", work / "dist"
    source.mkdir()
    for name in PACKAGE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    isolation = ["--no-build-isolation"] if build_requirements_met(ROOT) else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation, "-w", str(dist), str(source)],
                   check=True)
    (wheel,) = dist.glob("rnnlearn-*.whl")
    return wheel


def fresh_env(work: Path, base: Path) -> Path:
    """A new virtual environment that sees the base environment's packages and nothing else."""
    env = work / "env"
    subprocess.run([str(venv_python(base)), "-m", "venv", str(env)], check=True)
    python = venv_python(env)
    (site_packages(python) / "colab-base.pth").write_text(str(site_packages(venv_python(base))) + "\n")
    return python


def installed(python: Path) -> set[str]:
    out = subprocess.run([str(python), "-c", "import importlib.metadata as m, sysconfig; "
                          "print('\\n'.join(d.metadata['Name'] for d in m.distributions("
                          "path=[sysconfig.get_paths()['purelib']])))"],
                         check=True, capture_output=True, text=True)
    return {line.strip().lower() for line in out.stdout.splitlines() if line.strip()}


def run_env(python: Path) -> dict:
    """The environment the chapters run in: no PYTHONPATH of this checkout, network blocked,
    pip with no index, git allowed no remote."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env = offline_env(env)
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS="", PIP_CONFIG_FILE=os.devnull, GIT_ALLOW_PROTOCOL="file",
               PATH=os.pathsep.join([str(python.parent), env.get("PATH", "")]))
    return env


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: every chapter in _toc.yml)")
    parser.add_argument("--ci", action="store_true", help=f"only {' and '.join(CI_SAMPLE)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    listed = toc_chapters(ROOT)
    names = CI_SAMPLE if args.ci else (args.chapters or listed)
    unknown = [name for name in names if name not in listed]
    if unknown:
        print(f"not chapters listed in _toc.yml: {unknown}")
        return 2

    problems = undeclared_imports(ROOT, names)
    for problem in problems:
        print(f"FAILED {problem}")
    if problems:
        return 1

    timings = {}
    start = step("the Colab-like base environment (tools/colab-requirements.txt)")
    base = base_env_path()
    ensure_base_env(base)
    timings["base environment"] = time.perf_counter() - start

    work = Path(tempfile.mkdtemp(prefix="rnnlearn-colab-"))
    try:
        start = step("the rnnlearn wheel")
        wheel = build_wheel(work)
        print(wheel.name)
        timings["wheel"] = time.perf_counter() - start

        start = step("a fresh environment: Colab's set plus the wheel and its dependencies")
        python = fresh_env(work, base)
        before = installed(python)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
        brought = sorted(installed(python) - before - {"rnnlearn"})
        print("the wheel brought in: " + (", ".join(brought) if brought else "nothing"))
        timings["fresh environment"] = time.perf_counter() - start

        start = step(f"{len(names)} chapter notebook(s) executed from an empty folder, network blocked")
        folder = work / "notebooks"
        folder.mkdir()
        for name in names:
            shutil.copy2(ROOT / "book" / f"{name}.ipynb", folder / f"{name}.ipynb")
        runner = shutil.copy2(ROOT / "tools" / "colab_execute.py", work / "colab_execute.py")
        code = subprocess.call([str(python), str(runner), str(folder)] + [f"{n}.ipynb" for n in names]
                               + ["--expect-prefix", str(work / "env")], cwd=folder, env=run_env(python))
        timings["notebooks"] = time.perf_counter() - start
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\n" + "\n".join(f"{label:>18}: {seconds:6.1f}s" for label, seconds in timings.items()))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
