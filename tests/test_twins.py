"""The three twins agree on names, signatures and the equations in their docstrings."""

import inspect
import re

import pytest

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt

NAMES = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU"]
# The only argument one twin has and the others lack: PyTorch's built-in kernels (documented there).
TORCH_ONLY = {"fused"}


def test_same_public_names():
    for module in (rn, rt, rk):
        assert set(NAMES) <= set(module.__all__), module.__name__
        assert all(hasattr(module, name) for name in NAMES)


def _parameters(function, drop=()):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values() if p.name not in drop]


@pytest.mark.parametrize("name", NAMES)
def test_same_constructor_signature(name):
    reference = _parameters(getattr(rn, name).__init__)
    assert _parameters(getattr(rt, name).__init__, TORCH_ONLY) == reference
    assert _parameters(getattr(rk, name).__init__) == reference
    assert reference[:3] == [("self", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty),
                             ("input_size", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty),
                             ("hidden_size", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty)]
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in reference[3:])


@pytest.mark.parametrize("name", NAMES)
def test_same_call_signature(name):
    expected = ["self", "x_t", "state"] if name.endswith("Cell") else ["self", "x", "state", "lengths"]
    signatures = [getattr(rn, name).__call__, getattr(rt, name).forward, getattr(rk, name).call]
    for function in signatures:
        params = inspect.signature(function).parameters
        assert list(params) == expected, function
        assert all(params[p].default is None for p in expected[2:])


def notes_block(doc):
    match = re.search(r"\n\s*Notes\n\s*-----\n(.*?)\n\s*References\n", doc, re.S)
    assert match, "no Notes section followed by References"
    return inspect.cleandoc(match.group(1))


@pytest.mark.parametrize("name", NAMES)
def test_same_equations_in_docstrings(name):
    reference = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in reference and "h_t" in reference
    for module in (rt, rk):
        assert notes_block(getattr(module, name).__doc__) == reference, module.__name__


@pytest.mark.parametrize("name", NAMES)
def test_docstrings_have_the_template_sections(name):
    for module in (rn, rt, rk):
        doc = getattr(module, name).__doc__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (module.__name__, section)
        for argument in inspect.signature(getattr(module, name).__init__).parameters:
            if argument != "self":
                assert f"    {argument} :" in doc, (module.__name__, argument)


def test_the_equation_check_can_fail():
    altered = rn.LSTM.__doc__.replace("c_t = f_t", "c_t = i_t")
    assert notes_block(altered) != notes_block(rn.LSTM.__doc__)
