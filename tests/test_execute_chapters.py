"""The notebooks stage (tools/execute_chapters.py): chapters executed once, network blocked, into the
build's execution cache, which the strict build then renders without executing them again."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from execute_chapters import (OFFLINE, cache_path, ensure_cache_is_current, execute_chapters,  # noqa: E402
                              offline_env, read_chapter)
from test_book import _make_book  # noqa: E402

quiet = dict(report=lambda *args: None)


# ---- the offline hook ---------------------------------------------------------------------------

HOOK_PROBE = '''
import socket, urllib.request
for attempt in (lambda: urllib.request.urlopen("http://example.com", timeout=5),
                lambda: socket.create_connection(("example.com", 80), timeout=5)):
    try:
        attempt()
        print("NOT BLOCKED")
    except OSError as err:
        print("blocked:", err)
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
for host in ("127.0.0.1", "localhost"):
    socket.create_connection((host, server.getsockname()[1]), timeout=5).close()
    print("loopback works:", host)
'''


def test_offline_hook_blocks_remote_hosts_and_keeps_loopback(tmp_path):
    result = subprocess.run([sys.executable, "-c", HOOK_PROBE], cwd=tmp_path, env=offline_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "NOT BLOCKED" not in result.stdout
    assert sum("network access is blocked" in line and "example.com:80" in line for line in lines) == 2, lines
    assert "loopback works: 127.0.0.1" in lines and "loopback works: localhost" in lines


def test_offline_env_puts_the_hook_first_once():
    env = offline_env(offline_env({"PYTHONPATH": "/somewhere"}))
    assert env["PYTHONPATH"].split(":") == [str(OFFLINE), "/somewhere"]


# ---- executing into the cache -------------------------------------------------------------------

def test_chapter_that_downloads_fails_naming_chapter_and_cell(tmp_path):
    root = _make_book(tmp_path, code='import urllib.request\nurllib.request.urlopen("http://example.com", timeout=5)')
    (result,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert result.status == "FAILED"
    assert result.error.startswith("cell 3 (`import urllib.request`): URLError"), result.error
    assert "network access is blocked" in result.error


def test_failing_cell_is_named_and_not_cached(tmp_path):
    root = _make_book(tmp_path, code='x = 1\nraise ValueError("this chapter is broken")')
    (result,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert result.status == "FAILED"
    assert result.error == "cell 3 (`x = 1`): ValueError: this chapter is broken"
    (again,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert again.status == "FAILED"  # executed again, not taken from the cache


def test_chapter_out_of_sync_with_its_notebook_is_not_executed(tmp_path):
    root = _make_book(tmp_path)
    md = root / "book" / "01_tiny.md"
    md.write_text(md.read_text().replace("x = 1", "x = 2"))
    (result,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert result.status == "FAILED" and "different code cells" in result.error and "make sync" in result.error


def test_cache_is_emptied_when_rnnlearn_changes(tmp_path):
    root = _make_book(tmp_path)
    (root / "rnnlearn").mkdir()
    (root / "rnnlearn" / "model.py").write_text("A = 1\n")
    assert ensure_cache_is_current(root) is False
    cache_path(root).mkdir(parents=True)
    assert ensure_cache_is_current(root) is False and cache_path(root).exists()  # same package: kept
    (root / "rnnlearn" / "model.py").write_text("A = 2\n")
    assert ensure_cache_is_current(root) is True and not cache_path(root).exists()


def test_the_build_renders_the_cached_run_instead_of_executing_again(tmp_path):
    # An unseeded random number: a second execution would print another one.
    root = _make_book(tmp_path, code="import random\nprint(f'drawn {random.random():.12f}')")
    (first,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert first.status == "executed", first.error
    (second,) = execute_chapters(root, ["01_tiny"], jobs=1, **quiet)
    assert second.status == "cached"

    from jupyter_cache import get_cache

    _, cached = get_cache(str(cache_path(root))).merge_match_into_notebook(read_chapter(root, "01_tiny"))
    printed = re.search(r"drawn \d\.\d{12}", cached.cells[-1].outputs[0]["text"]).group(0)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run([str(jupyter_book), "build", str(root), "-W", "-n", "--keep-going"],
                           cwd=root, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, (build.stdout + build.stderr)[-3000:]
    assert "Using cached notebook" in build.stdout + build.stderr
    assert printed in (root / "_build" / "html" / "book" / "01_tiny.html").read_text()


def test_build_stops_before_sphinx_when_a_chapter_fails(tmp_path):
    root = _make_book(tmp_path, code='x = 1\nraise ValueError("this chapter is broken")')
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py"), "--root", str(root)],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAILED 01_tiny: cell 3 (`x = 1`): ValueError: this chapter is broken" in result.stdout
    assert "The book is not built while a chapter fails" in result.stdout
    assert not (root / "_build" / "html").exists()


def test_other_pages_with_code_are_executed_too_in_their_own_folder(tmp_path):
    from execute_chapters import notebook_pages

    root = _make_book(tmp_path)
    appendix = root / "book" / "appendix"
    appendix.mkdir()
    front_matter = (root / "book" / "01_tiny.md").read_text().split("---\n")[1]
    (appendix / "extra.md").write_text(f"---\n{front_matter}---\n\n# Extra\n\n```{{code-cell}} ipython3\n"
                                       "import os\nprint(os.getcwd())\n```\n")
    (appendix / "plain.md").write_text("# Plain\n\nNo code here.\n")
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text() + "  - caption: Appendix\n    chapters:\n      - file: book/appendix/extra\n"
                   "      - file: book/appendix/plain\n")
    assert notebook_pages(root) == ["01_tiny", "appendix/extra"]
    (result,) = execute_chapters(root, ["appendix/extra"], jobs=1, **quiet)
    assert result.status == "executed", result.error
    assert result.notebook.cells[-1].outputs[0]["text"].strip() == str(appendix)
