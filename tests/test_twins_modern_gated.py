"""The modern gated recurrences' twins agree on names, signatures and the equations in their docstrings."""

import inspect
import subprocess
import sys

import pytest

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from test_twins import notes_block

GATED_NAMES = ["MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU"]
TWINS = {"numpy": rn, "torch": rt, "keras": rk}
CALL = {"numpy": "__call__", "torch": "forward", "keras": "call"}


def test_same_public_names():
    for module in TWINS.values():
        assert set(GATED_NAMES) <= set(module.__all__), module.__name__
        assert all(hasattr(module, name) for name in GATED_NAMES)


def _parameters(function):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", GATED_NAMES)
def test_same_constructor_signature(name):
    reference = _parameters(getattr(rn, name).__init__)
    assert _parameters(getattr(rt, name).__init__) == reference
    assert _parameters(getattr(rk, name).__init__) == reference
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    empty = inspect.Parameter.empty
    assert reference[:3] == [("self", positional, empty), ("input_size", positional, empty), ("hidden_size", positional, empty)]
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in reference[3:])
    assert [p[0] for p in reference[-2:]] == ["dtype", "seed"]


@pytest.mark.parametrize("name", GATED_NAMES)
def test_same_call_and_step_signatures(name):
    for framework, module in TWINS.items():
        cls = getattr(module, name)
        for method, expected in ((CALL[framework], ["self", "x", "state"]), ("step", ["self", "x_t", "state"])):
            params = inspect.signature(getattr(cls, method)).parameters
            assert list(params) == expected, (framework, method)
            assert params["state"].default is None


@pytest.mark.parametrize("name", GATED_NAMES)
def test_same_equations_in_docstrings(name):
    reference = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in reference and "_t" in reference
    for module in (rt, rk):
        assert notes_block(getattr(module, name).__doc__) == reference, module.__name__


@pytest.mark.parametrize("name", GATED_NAMES)
def test_docstrings_have_the_template_sections(name):
    for framework, module in TWINS.items():
        doc = getattr(module, name).__doc__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (framework, section)
        for argument in inspect.signature(getattr(module, name).__init__).parameters:
            if argument != "self":
                assert f"    {argument} :" in doc, (framework, argument)
        assert f"``{CALL[framework]}(x, state=None)``" in doc, framework


def test_the_equation_check_can_fail():
    altered = rn.MinGRU.__doc__.replace("(1 - z_t)", "z_t")
    assert notes_block(altered) != notes_block(rn.MinGRU.__doc__)


@pytest.mark.parametrize("module", ["rnnlearn.gated_layout", "rnnlearn.named_weights", "rnnlearn.numpy.mingru",
                                    "rnnlearn.numpy.rwkv", "rnnlearn.numpy.xlstm", "rnnlearn.numpy.rglru"])
def test_import_leaves_frameworks_unimported(module):
    code = f"import sys, {module}; print(','.join(n for n in ('torch', 'tensorflow', 'keras') if n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"import {module} imported {result.stdout.strip()}"
