"""Baidu LAC 2.1.2's lexical analyser re-implemented in numpy (weights: Apache-2.0, see LICENSE-LAC.txt).

``LacModel.from_dir(path)`` reads what ``zhie lac-fetch`` wrote; ``LacModel.analyse(texts)`` gives
words, tags and the 256-d BiGRU state of every character.
"""

from .model import LacAnalysis, LacModel
from .resources import LacResourceError

__all__ = ["LacAnalysis", "LacModel", "LacResourceError"]
