"""Chapter 14's twins, CausalSelfAttention and TCN, agree on names, signatures and the equations in their docstrings."""

import inspect

import pytest

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from test_twins import notes_block

NAMES = ["CausalSelfAttention", "TCN"]
MODULES = [rn, rt, rk]


def _parameters(function):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD]  # Keras layers also take **kwargs (name=...)


@pytest.mark.parametrize("name", NAMES)
def test_every_twin_exports_the_name(name):
    for module in MODULES:
        assert name in module.__all__ and hasattr(module, name), module.__name__


@pytest.mark.parametrize("name", NAMES)
def test_same_constructor_signature(name):
    reference = _parameters(getattr(rn, name).__init__)
    for module in (rt, rk):
        assert _parameters(getattr(module, name).__init__) == reference, module.__name__
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert reference[:3] == [("self", positional, inspect.Parameter.empty),
                             ("input_size", positional, inspect.Parameter.empty),
                             ("hidden_size", positional, inspect.Parameter.empty)]
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in reference[3:])
    assert reference[-2:] == [("dtype", inspect.Parameter.KEYWORD_ONLY, "float32"),
                              ("seed", inspect.Parameter.KEYWORD_ONLY, None)]


@pytest.mark.parametrize("name", NAMES)
def test_same_call_and_step_signatures(name):
    calls = [getattr(rn, name).__call__, getattr(rt, name).forward, getattr(rk, name).call]
    for function in calls:
        assert list(inspect.signature(function).parameters) == ["self", "x", "state"], function
        assert inspect.signature(function).parameters["state"].default is None
    for module in MODULES:
        step = inspect.signature(getattr(module, name).step).parameters
        assert list(step) == ["self", "x_t", "state"] and step["state"].default is None, module.__name__


@pytest.mark.parametrize("name", NAMES)
def test_same_equations_in_docstrings(name):
    reference = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in reference
    for module in (rt, rk):
        assert notes_block(getattr(module, name).__doc__) == reference, module.__name__


@pytest.mark.parametrize("name", NAMES)
def test_docstrings_have_the_template_sections(name):
    for module in MODULES:
        doc = getattr(module, name).__doc__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (module.__name__, section)
        for argument in inspect.signature(getattr(module, name).__init__).parameters:
            if argument not in ("self", "kwargs"):
                assert f"    {argument} :" in doc, (module.__name__, argument)


def test_the_equation_check_can_fail():
    altered = rt.TCN.__doc__.replace("d_l = 2^{l-1}", "d_l = 2^{l}")
    assert notes_block(altered) != notes_block(rn.TCN.__doc__)
