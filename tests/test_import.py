"""Importing the package (and its framework-free parts) must not import torch, tensorflow or keras."""

import subprocess
import sys

import pytest

CODE = """
import sys
import {module}
heavy = sorted(name for name in ("torch", "tensorflow", "keras") if name in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize("module", ["rnnlearn", "rnnlearn.numpy", "rnnlearn.convert", "rnnlearn.utils", "rnnlearn.layout",
                                    "rnnlearn.ssm_layout", "rnnlearn.scan_checks"])
def test_import_leaves_frameworks_unimported(module):
    result = subprocess.run([sys.executable, "-c", CODE.format(module=module)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"import {module} imported {result.stdout.strip()}"


def test_copy_weights_between_numpy_twins_imports_no_framework():
    code = """
import sys
from rnnlearn.numpy import LSTM
from rnnlearn.convert import copy_weights
copy_weights(LSTM(2, 3, seed=0), LSTM(2, 3, seed=1))
print(",".join(n for n in ("torch", "tensorflow", "keras") if n in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_check_above_can_fail():
    result = subprocess.run([sys.executable, "-c", CODE.format(module="rnnlearn.torch")], capture_output=True, text=True, check=True)
    assert "torch" in result.stdout
