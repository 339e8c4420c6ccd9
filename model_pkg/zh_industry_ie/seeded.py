"""Base of the components whose data come from the seed files at ``initialize``.

They read ``seeds_dir`` once (``[initialize.components.<name>] seeds_dir``), keep what they
read inside the saved pipeline, and never look at the repository again.
"""

# No `from __future__ import annotations`: spaCy validates initialize() with pydantic, which
# needs real annotations.
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path

from spacy.language import Language
from spacy.training import Example


class SeededComponent(ABC):
    name: str

    @abstractmethod
    def has_seeds(self) -> bool:
        """Whether the seed data are loaded (from seeds_dir or from disk)."""

    @abstractmethod
    def load_seeds(self, seeds_dir: Path) -> None:
        """Read this component's data from the seeds directory."""

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        seeds_dir: str | Path | None = None,
    ) -> None:
        if seeds_dir is not None:
            self.load_seeds(Path(seeds_dir))
        elif not self.has_seeds():
            raise ValueError(f"{self.name}: initialize needs seeds_dir (the repository's seeds/)")
