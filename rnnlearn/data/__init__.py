"""Seeded task generators and a shipped text corpus: everything the book trains on, with no downloads.

Every generator takes a keyword-only ``seed`` (a non-negative integer, or a ``numpy.random.Generator`` to draw a
fresh batch at each training step), uses only its own ``numpy.random.default_rng`` (never global state) and
returns NumPy arrays, batch first: B batch, T time, D features. Invalid arguments raise ``ValueError`` saying
what was expected and what came. Importing this package imports neither torch nor tensorflow.

==================================  ===========================================  ===========================
family                              functions                                    from
==================================  ===========================================  ===========================
adding problem                      :func:`adding_problem`                       Hochreiter & Schmidhuber 1997;
                                                                                 Le et al. 2015
copying                             :func:`copy_task`, :func:`selective_copying`  Arjovsky et al. 2016;
                                                                                 Gu & Dao 2023
associative recall                  :func:`multi_query_associative_recall`       Arora et al. 2023
bit streams                         :func:`parity`, :func:`latch`                Bengio et al. 1994
embedded Reber grammar              :func:`embedded_reber_strings`, ...          Hochreiter & Schmidhuber 1997
time series                         :func:`sine_mixture`, :func:`mackey_glass`,  Mackey & Glass 1977
                                    :func:`forecasting_windows`,
                                    :func:`sensor_signal`
digits as sequences                 :func:`load_digits_sequences`                scikit-learn ``load_digits``
labelling and alignment             :func:`lookahead_xor`,                       Graves et al. 2006
                                    :func:`unsegmented_symbols`
text                                :func:`load_text`, :class:`CharVocab`,       Austen 1817
                                    :func:`next_char_batch`
==================================  ===========================================  ===========================
"""

from ._validate import IGNORE_INDEX
from .adding import adding_problem
from .bits import latch, parity
from .copying import TokenTask, copy_task, selective_copying
from .digits import load_digits_sequences
from .labelling import lookahead_xor, lookahead_xor_ceiling, unsegmented_symbols
from .grammar import (
    REBER_SYMBOLS,
    embedded_reber_strings,
    encode_reber,
    is_embedded_reber,
    is_reber,
    reber_next_symbols,
    reber_strings,
)
from .recall import multi_query_associative_recall
from .sensor import sensor_signal
from .series import forecasting_windows, mackey_glass, sine_mixture
from .text import CharVocab, load_text, next_char_batch

__all__ = [
    "lookahead_xor",
    "lookahead_xor_ceiling",
    "unsegmented_symbols",
    "IGNORE_INDEX",
    "TokenTask",
    "adding_problem",
    "copy_task",
    "selective_copying",
    "multi_query_associative_recall",
    "parity",
    "latch",
    "REBER_SYMBOLS",
    "reber_strings",
    "embedded_reber_strings",
    "is_reber",
    "is_embedded_reber",
    "reber_next_symbols",
    "encode_reber",
    "sine_mixture",
    "mackey_glass",
    "forecasting_windows",
    "sensor_signal",
    "load_digits_sequences",
    "load_text",
    "CharVocab",
    "next_char_batch",
]
