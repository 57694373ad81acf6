"""rnnlearn: the companion package of the open book on recurrent neural networks.

Every model the book teaches lives here, once:

- ``rnnlearn.numpy``: reference implementations (forward and hand-written backward passes);
- ``rnnlearn.torch`` and ``rnnlearn.keras``: twins with the same names, signatures and conventions;
- ``rnnlearn.data``: seeded task generators and a shipped text corpus (no downloads);
- ``rnnlearn.quiz``: the chapters' quiz and flashcard decks and their rendering.

Importing ``rnnlearn`` does no work beyond definitions: it imports neither torch nor tensorflow.
Import the subpackage you need, e.g. ``from rnnlearn.torch import LSTM``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
