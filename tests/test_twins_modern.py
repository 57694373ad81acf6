"""The twins of the modern layers (linear recurrences, state-space models, linear attention) agree on
names, signatures and the equations in their docstrings. Add a new layer's name to MODERN_NAMES."""

import inspect
import re

import pytest

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from test_twins import notes_block

MODERN_NAMES = ["LinearAttention", "S4D", "LRU", "SelectiveSSM"]
MODERN_FUNCTIONS = ["linear_scan", "log_space_scan"]
MODULES = (rn, rt, rk)


def _parameters(function):
    """(name, kind, default) of each parameter, leaving out ``**kwargs`` (Keras layers pass those to the base)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()
            if p.kind != inspect.Parameter.VAR_KEYWORD]


def _call(module, name):
    method = {"rnnlearn.numpy": "__call__", "rnnlearn.torch": "forward", "rnnlearn.keras": "call"}[module.__name__]
    return getattr(getattr(module, name), method)


def test_same_public_names():
    for module in MODULES:
        assert set(MODERN_NAMES + MODERN_FUNCTIONS) <= set(module.__all__), module.__name__


@pytest.mark.parametrize("name", MODERN_NAMES)
def test_same_constructor_signature(name):
    reference = _parameters(getattr(rn, name).__init__)
    for module in (rt, rk):
        assert _parameters(getattr(module, name).__init__) == reference, module.__name__
    positional = [p for p in reference[1:] if p[1] == inspect.Parameter.POSITIONAL_OR_KEYWORD]
    assert [p[0] for p in positional] in (["hidden_size"], ["input_size", "hidden_size"])
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in reference[1 + len(positional):])
    assert ("seed", inspect.Parameter.KEYWORD_ONLY, None) in reference
    assert ("dtype", inspect.Parameter.KEYWORD_ONLY, "float32") in reference


@pytest.mark.parametrize("name", MODERN_NAMES)
def test_same_call_and_step_signatures(name):
    reference = _parameters(_call(rn, name))
    assert [p[0] for p in reference[:3]] == ["self", "x", "state"] and reference[2][2] is None
    step = _parameters(getattr(rn, name).step)
    assert step == [("self", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty),
                    ("x_t", inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty),
                    ("state", inspect.Parameter.POSITIONAL_OR_KEYWORD, None)]
    for module in (rt, rk):
        assert _parameters(_call(module, name)) == reference, module.__name__
        assert _parameters(getattr(module, name).step) == step, module.__name__


@pytest.mark.parametrize("name", MODERN_NAMES + ["linear_scan"])
def test_same_equations_in_docstrings(name):
    reference = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in reference
    for module in (rt, rk):
        assert notes_block(getattr(module, name).__doc__) == reference, module.__name__


def _documented_arguments(doc):
    """Names documented as ``    name : type`` or ``    name_a, name_b : type``."""
    names = set()
    for match in re.finditer(r"^    ([\w, ]+) :", doc, re.M):
        names.update(n.strip() for n in match.group(1).split(","))
    return names


@pytest.mark.parametrize("name", MODERN_NAMES)
def test_docstrings_have_the_template_sections(name):
    for module in MODULES:
        doc = getattr(module, name).__doc__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (module.__name__, section)
        documented = _documented_arguments(doc)
        for argument, _, _ in _parameters(getattr(module, name).__init__)[1:]:
            assert argument in documented, (module.__name__, argument)


def test_the_checks_can_fail():
    altered = rn.S4D.__doc__.replace("h_t = \\bar A h_{t-1}", "h_t = \\bar A h_{t-2}")
    assert altered != rn.S4D.__doc__ and notes_block(altered) != notes_block(rn.S4D.__doc__)
    assert "dt_max" in _documented_arguments(rn.S4D.__doc__)
    assert "dt_max" not in _documented_arguments(rn.S4D.__doc__.replace("dt_min, dt_max :", "dt_min :"))
