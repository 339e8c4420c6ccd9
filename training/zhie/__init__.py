"""Toolkit that builds zh_industry_ie: corpus, weak labels, training, evaluation, packaging."""

import zh_industry_ie  # noqa: F401  (registers the shipped components with spaCy)
