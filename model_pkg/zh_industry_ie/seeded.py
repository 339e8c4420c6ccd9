"""Base of the components whose data come from the seed files at ``initialize``.

They read ``seeds_dir`` once (``[initialize.components.<name>] seeds_dir``), keep what they
read inside the saved pipeline, and never look at the repository again. The base holds the
one save/load path of all of them: the data are one JSON document, written to
``<component dir>/<data_file>`` by ``to_disk`` and carried in ``to_bytes``; ``exclude``
works as in spaCy's own components (the data file's stem, e.g. ``"seeds"``, skips it). The
base also gives them ``score`` (spaCy's ``Scorer`` and ``nlp.evaluate`` call it) from the
``scorer`` the factory was configured with.
"""

# No `from __future__ import annotations`: spaCy validates initialize() with pydantic, which
# needs real annotations.
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from spacy import util
from spacy.language import Language
from spacy.training import Example, validate_examples


class SeededComponent(ABC):
    name: str
    # File name of the component's data inside its directory of a saved pipeline.
    data_file: ClassVar[str]
    scorer: Callable[..., dict[str, Any]] | None = None

    @abstractmethod
    def has_seeds(self) -> bool:
        """Whether the seed data are loaded (from seeds_dir or from disk)."""

    @abstractmethod
    def load_seeds(self, seeds_dir: Path) -> None:
        """Read this component's data from the seeds directory."""

    @abstractmethod
    def seed_data(self) -> Any:
        """The loaded data as one JSON-serialisable value (only called when has_seeds())."""

    @abstractmethod
    def set_seed_data(self, data: Any) -> None:
        """Restore the component from what seed_data() returned."""

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

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        validate_examples(examples, f"{type(self).__name__}.score")
        return self.scorer(examples, **kwargs) if self.scorer is not None else {}

    # --- serialisation -------------------------------------------------------------------

    @property
    def _data_key(self) -> str:
        # spaCy's util.to_disk/from_disk match `exclude` against the file name's stem.
        return self.data_file.split(".")[0]

    def _payload(self) -> bytes:
        if not self.has_seeds():
            raise ValueError(f"{self.name}: nothing to save before initialize (no seeds loaded)")
        # Keys keep their insertion order: some loaders read families in the order saved.
        return json.dumps(self.seed_data(), ensure_ascii=False).encode("utf-8")

    def _restore(self, payload: bytes, origin: str) -> None:
        try:
            data = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{self.name}: {origin} is not the JSON to_disk/to_bytes write: {err}") from err
        self.set_seed_data(data)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        writers = {self.data_file: lambda p: p.write_bytes(self._payload())}
        util.to_disk(directory, writers, list(exclude))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "SeededComponent":
        directory = Path(path)
        exclude = list(exclude)
        if self._data_key not in exclude and not (directory / self.data_file).is_file():
            raise FileNotFoundError(
                f"{self.name}: no {self.data_file} in {directory} "
                "(expected a component directory written by to_disk / nlp.to_disk)"
            )

        def read(file: Path) -> None:
            self._restore(file.read_bytes(), str(file))

        util.from_disk(directory, {self.data_file: read}, exclude)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return util.to_bytes({self._data_key: self._payload}, list(exclude))

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "SeededComponent":
        def read(payload: bytes) -> None:
            self._restore(payload, "the serialised data")

        util.from_bytes(bytes_data, {self._data_key: read}, list(exclude))
        return self
