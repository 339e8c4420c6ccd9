"""Batch extraction at corpus scale: streaming readers, sharded resumable output, parallel and
distributed runs, and a fact table built from the extracted relations.

``python -m zh_industry_ie extract INPUT... --out DIR`` and ``python -m zh_industry_ie facts
DIR --out facts.sqlite`` are the command-line entry points (see ``docs/scale.md``).
"""
