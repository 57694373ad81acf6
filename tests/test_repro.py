"""The repro stage (tools/repro.py): a chapter executed twice prints the same text in every cell."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402
from repro import SAMPLE, check, compare, printed_text  # noqa: E402
from test_book import _make_book  # noqa: E402


def notebook(*cells_outputs, tags=None):
    cells = [new_markdown_cell("# A chapter")]
    for i, outputs in enumerate(cells_outputs):
        cell = new_code_cell(f"step_{i}()", outputs=outputs)
        if tags and i in tags:
            cell.metadata["tags"] = tags[i]
        cells.append(cell)
    return new_notebook(cells=cells)


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def result(text):
    return new_output("execute_result", data={"text/plain": text}, execution_count=1)


def test_printed_text_is_stdout_and_text_plain_not_stderr():
    cell = new_code_cell("x", outputs=[stdout("a\n"), new_output("stream", name="stderr", text="warning\n"),
                                       result("0.5"), new_output("display_data", data={"image/png": "..."})])
    assert printed_text(cell) == "a\n0.5\n"


def test_identical_runs_pass():
    a = notebook([stdout("loss 0.12\n")], [result("array([1, 2])")])
    assert compare("06_lstm", a, nbformat.from_dict(a)) == []


def test_a_differing_line_is_named_with_chapter_cell_and_both_texts():
    a = notebook([stdout("epoch 1\nloss 0.120\n")], [result("1")])
    b = notebook([stdout("epoch 1\nloss 0.121\n")], [result("1")])
    (problem,) = compare("06_lstm", a, b)
    assert problem == ("06_lstm: cell 2 (`step_0()`) printed different text; first difference at line 2: "
                       "run 1 'loss 0.120', run 2 'loss 0.121'")


def test_a_missing_line_is_reported():
    (problem,) = compare("03_x", notebook([stdout("a\nb\n")]), notebook([stdout("a\n")]))
    assert "line 2: run 1 'b', run 2 '<nothing>'" in problem


def test_durations_are_not_compared_but_the_numbers_beside_them_are():
    a = notebook([stdout("trained in 8.8 s, loss 0.120\n{'LSTM': '15.5 s'} 12 ms 3 seconds\n")])
    b = notebook([stdout("trained in 7.7 s, loss 0.120\n{'LSTM': '17.0 s'} 9 ms 4 seconds\n")])
    assert compare("01_x", a, b) == []
    c = notebook([stdout("trained in 7.7 s, loss 0.121\n{'LSTM': '17.0 s'} 9 ms 4 seconds\n")])
    (problem,) = compare("01_x", a, c)
    assert problem.endswith("run 1 'trained in <duration>, loss 0.120', run 2 'trained in <duration>, loss 0.121'")


def test_cells_tagged_ignore_output_are_skipped():
    tags = {0: ["nbval-ignore-output"]}
    assert compare("04_x", notebook([stdout("12.3 ms\n")], tags=tags), notebook([stdout("9.8 ms\n")], tags=tags)) == []


def test_the_sample_is_three_chapters_of_the_book():
    assert len(SAMPLE) == 3 and set(SAMPLE) <= set(toc_chapters(ROOT))


def test_unseeded_cell_fails_and_seeded_cell_passes(tmp_path):
    code = ("import random\nrandom.seed(0)\nprint(f'seeded {random.random():.6f}')\n"
            "random.seed()\nprint(f'unseeded {random.random():.12f}')")
    root = _make_book(tmp_path, code=code)
    (problem,) = check(root, ["01_tiny"], jobs=1, report=lambda *a: None)
    assert problem.startswith("01_tiny: cell 3 (`import random`) printed different text; first difference at line 2")
    assert "run 1 'unseeded 0." in problem


def test_chapter_not_in_the_toc_is_named(tmp_path):
    root = _make_book(tmp_path)
    assert check(root, ["02_absent"], jobs=1, report=lambda *a: None) == ["02_absent: not a chapter listed in _toc.yml"]
