"""rnnlearn.torch.train.fit: it learns, it clips, it records, and its bar prints clean lines."""

import numpy as np
import pytest
import torch

from rnnlearn.torch import GRU
from rnnlearn.torch.train import fit


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models train 10-20x faster on one thread than on two busy cores (thread spin-waits)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = GRU(1, 8, seed=0)
        self.head = torch.nn.Linear(8, 1)

    def forward(self, x):
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1])


def mse(model, batch):
    x, y = batch
    return torch.nn.functional.mse_loss(model(x), y)


def data(step):
    g = torch.Generator().manual_seed(step)
    x = torch.rand(32, 5, 1, generator=g)
    return x, x.sum(1) / 5


def test_fit_learns_and_records(capsys):
    torch.manual_seed(0)
    model = Regressor()
    history = fit(model, data, mse, steps=150, lr=0.02, updates=5)
    assert len(history.loss) == len(history.grad_norm) == 150
    assert history.recent_loss(20) < 0.2 * np.mean(history.loss[:5])
    lines = capsys.readouterr().out.splitlines()
    assert "\r" not in "".join(lines)
    assert 2 <= len(lines) <= 7 and lines[-1].startswith("training: 100%|") and "150/150" in lines[-1]
    assert "loss=" in lines[-1]


def test_fit_clips_the_gradient_norm():
    torch.manual_seed(0)
    model = Regressor()
    before = [p.detach().clone() for p in model.parameters()]
    history = fit(model, data, mse, steps=1, optimizer=torch.optim.SGD(model.parameters(), lr=1.0), clip_norm=1e-3,
                  progress=False)
    change = torch.sqrt(sum(((p.detach() - b) ** 2).sum() for p, b in zip(model.parameters(), before)))
    assert history.grad_norm[0] > 1e-2  # recorded before clipping
    assert float(change) == pytest.approx(1e-3, rel=1e-4)  # SGD with lr=1 moves by the clipped gradient


def test_fit_steps_a_scheduler_and_records_the_rate():
    model = Regressor()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 / (1 + step))
    history = fit(model, data, mse, steps=4, optimizer=optimizer, scheduler=scheduler, progress=False)
    assert history.lr == pytest.approx([0.1, 0.05, 0.1 / 3, 0.025])
    assert fit(model, data, mse, steps=2, progress=False, lr=0.01).lr == [0.01, 0.01]  # no scheduler
    other = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="scheduler built on the optimizer"):
        fit(model, data, mse, steps=1, optimizer=other, scheduler=scheduler)
    with pytest.raises(ValueError, match="scheduler built on the optimizer"):
        fit(model, data, mse, steps=1, scheduler=scheduler)  # default Adam is not the scheduler's


def test_fit_cycles_an_iterable_and_validates():
    model = Regressor()
    history = fit(model, [data(0), data(1)], mse, steps=5, progress=False, clip_norm=None)
    assert len(history.loss) == 5 and history.loss[0] == pytest.approx(history.loss[0])
    with pytest.raises(ValueError, match="0"):
        fit(model, data, mse, steps=0)
