"""The ``zhie`` command line: one sub-command per step of the main job."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)

# Each module defines ``register(app)`` adding its commands.
_COMMAND_MODULES = (
    "zhie.corpus.commands",
    "zhie.weak.commands",
    "zhie.weak.relation_gold",
    "zhie.train.commands",
    "zhie.train.learning_curve",
    "zhie.train.pretrain",
    "zhie.train.vectors",
    "zhie.evaluate.commands",
    "zhie.evaluate.throughput",
    "zhie.package.commands",
    "zhie.package.scale_benchmark",
    "zhie.lac.commands",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)

if __name__ == "__main__":
    app()
