"""The Colab-like run (tools/colab_run.py): its preinstalled set, the static import check, and the
runner that executes notebooks from an empty folder. The run itself is the colab stage of `make test`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402
from colab_run import CI_SAMPLE, REQUIREMENTS, package_dependencies, requirement_names, undeclared_imports  # noqa: E402
from test_book import _make_book  # noqa: E402


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].split(";")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            found[name.strip().lower()] = version.strip()
    return found


def test_colab_set_leaves_out_what_the_wheel_must_bring():
    colab = requirement_names(REQUIREMENTS)
    assert {"jupyterquiz", "jupytercards", "pyyaml", "pydantic"} <= package_dependencies(ROOT)
    assert not {"jupyterquiz", "jupytercards", "pyyaml", "pydantic", "rnnlearn"} & colab
    assert {"torch", "keras", "numpy", "matplotlib", "ipykernel", "nbclient"} <= colab


def test_colab_pins_agree_with_requirements_txt():
    ours, book = pins(REQUIREMENTS), pins(ROOT / "requirements.txt")
    disagree = {name: (version, book[name]) for name, version in ours.items() if name in book and book[name] != version}
    assert not disagree, f"tools/colab-requirements.txt and requirements.txt pin different versions: {disagree}"


def test_the_ci_sample_is_two_chapters_of_the_book():
    assert len(CI_SAMPLE) == 2 and set(CI_SAMPLE) <= set(toc_chapters(ROOT))


def test_every_chapter_imports_only_what_colab_or_the_wheel_provides():
    assert undeclared_imports(ROOT, toc_chapters(ROOT)) == []


def test_import_of_a_package_the_wheel_does_not_declare_is_named(tmp_path):
    root = _make_book(tmp_path, code="import genanki\nimport numpy")
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (problem,) = undeclared_imports(root, ["01_tiny"])
    assert problem.startswith("book/01_tiny.md imports genanki (from genanki), which neither Colab's set")


def run_folder(folder: Path, *args: str):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "colab_execute.py"), str(folder), *args],
                          cwd=folder, capture_output=True, text=True, timeout=300)


def test_runner_names_the_notebook_that_reads_a_repository_file(tmp_path):
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("open('book/references.bib').read()")]),
                   tmp_path / "02_reads.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("print('fine')")]), tmp_path / "01_fine.ipynb")
    result = run_folder(tmp_path, "01_fine.ipynb", "02_reads.ipynb")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED 02_reads.ipynb: cell 2 (`open('book/references.bib').read()`): FileNotFoundError" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


def test_runner_refuses_a_kernel_from_another_environment(tmp_path):
    nbformat.write(new_notebook(cells=[new_code_cell("print('fine')")]), tmp_path / "01_fine.ipynb")
    result = run_folder(tmp_path, "01_fine.ipynb", "--expect-prefix", str(tmp_path))
    assert result.returncode == 1 and "FAILED: the kernel should run in" in result.stdout, result.stdout + result.stderr


def test_install_cell_cannot_fetch_rnnlearn_in_the_colab_like_run(tmp_path):
    """Where rnnlearn is missing, the install cell's pip must fail at once in the run's environment
    (no index, git allowed no remote, network blocked), so a run that passes did not download it."""
    from colab_run import run_env
    from sync import install_cell_source

    # -S: no site-packages, so rnnlearn is missing here (pip itself, a subprocess, starts normally)
    result = subprocess.run([sys.executable, "-S", "-c", install_cell_source()], env=run_env(Path(sys.executable)),
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "CalledProcessError" in result.stderr and "transport 'https' not allowed" in result.stderr, result.stderr
