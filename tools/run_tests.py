"""Run every check of the project, stage by stage, and print how long each took.

    python tools/run_tests.py            # what `make test` runs
    python tools/run_tests.py unit build # only some stages

Stages:
- unit: pytest on tests/ (browser tests excluded);
- keras-torch: the Keras tests again under KERAS_BACKEND=torch;
- notebooks: every chapter of _toc.yml executed once, two at a time, network blocked, into the build's
  execution cache (tools/execute_chapters.py); a failing cell fails the stage, naming chapter and cell;
- nbval: every chapter notebook (the .ipynb a reader opens in Colab) executed again by nbval, two at a
  time: the field's own notebook runner, as a second, independent execution of what the book shows;
- repro: three chapters executed a second time, their printed output compared cell by cell with the
  first run's (tools/repro.py);
- colab: two chapters executed from an empty folder in a Colab-like environment with rnnlearn installed
  from its wheel (tools/colab_run.py --ci);
- build: strict Jupyter Book build (warnings and failing cells are errors); it renders the outputs the
  notebooks stage cached instead of executing the chapters again;
- browser: headless Chromium on the built book.
A failing stage does not stop the others, except that the browser stage needs the build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def stages() -> dict[str, list[list[str]] | None]:
    keras_tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_keras*.py"))
    pytest = [PY, "-m", "pytest", "-p", "no:cacheprovider"]
    notebooks = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
    return {
        "unit": [pytest + ["-q", "tests", "--ignore=tests/browser"]],
        "keras-torch": [pytest + ["-q"] + keras_tests] if keras_tests else None,
        "notebooks": [[PY, "tools/execute_chapters.py", "--jobs", "2"]],
        "nbval": [pytest + ["-q", "--nbval-lax", "--nbval-current-env", "-n", "2", "--dist", "loadfile",
                            "-o", "testpaths=", "-o", "norecursedirs=_build"] + notebooks] if notebooks else None,
        "repro": [[PY, "tools/repro.py"]],
        "colab": [[PY, "tools/colab_run.py", "--ci"]],
        # --all re-reads every page so that warnings of unchanged pages are reported again;
        # the chapters' outputs come from the execution cache the notebooks stage filled.
        "build": [[PY, "tools/build_book.py", "--all"]],
        "browser": [pytest + ["-q", "tests/browser"]],
    }


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"),
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    plan = stages()
    wanted = argv or list(plan)
    unknown = [name for name in wanted if name not in plan]
    if unknown:
        print(f"unknown stage(s) {unknown}; stages are {list(plan)}")
        return 2
    results: list[tuple[str, str, float]] = []
    for name in wanted:
        commands = plan[name]
        if commands is None:
            results.append((name, "nothing to run", 0.0))
            continue
        if name == "browser" and any(r[0] == "build" and r[1] != "passed" for r in results):
            results.append((name, "skipped: the build failed", 0.0))
            continue
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        status = "passed"
        for command in commands:
            stage_env = dict(env, KERAS_BACKEND="torch") if name == "keras-torch" else env
            code = subprocess.call(command, env=stage_env)
            if code != 0:
                status = f"FAILED (exit {code})"
                break
        results.append((name, status, time.perf_counter() - start))
    width = max(len(r[0]) for r in results)
    print("\nstage".ljust(width + 3) + "  time     result")
    for name, status, seconds in results:
        print(f"  {name.ljust(width)}  {seconds:6.1f}s  {status}")
    total = sum(r[2] for r in results)
    print(f"  {'total'.ljust(width)}  {total:6.1f}s  ({total / 60:.1f} of the 40 minutes CI allows `make test`)")
    failed = [r for r in results if r[1].startswith(("FAILED", "skipped"))]
    passed = [r for r in results if r[1] == "passed"]
    print(f"stages: {len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
