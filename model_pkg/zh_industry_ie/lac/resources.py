"""The project's format for the converted LAC model: a directory, or one self-contained blob.

Directory (written by ``zhie lac-fetch``): ``weights.npz`` (float32 arrays named as in
``network.WEIGHT_SHAPES``), LAC's four dictionaries verbatim, ``meta.json`` (source, SHA-256,
licence, per-file SHA-256) and the Apache-2.0 notice. The blob is one uncompressed ``.npz`` holding
the same arrays, the dictionaries as bytes, and the meta.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from ..checksums import sha256_file
from .network import WEIGHT_SHAPES

FORMAT = "zh_industry_ie.lac/1"
WEIGHTS_FILE = "weights.npz"
DICT_FILES = ("word.dic", "tag.dic", "q2b.dic", "small_seg.dic")
META_FILE = "meta.json"
NOTICE_FILE = "LICENSE-LAC.txt"
# Files whose SHA-256 meta.json records; meta.json itself is written last.
HASHED_FILES = (WEIGHTS_FILE, *DICT_FILES, NOTICE_FILE)
DIR_FILES = (*HASHED_FILES, META_FILE)


class LacResourceError(ValueError):
    """A directory or blob that does not hold a complete converted LAC model."""


def check_weights(weights: dict[str, np.ndarray], where: str) -> dict[str, np.ndarray]:
    missing = sorted(set(WEIGHT_SHAPES) - set(weights))
    if missing:
        raise LacResourceError(f"{where}: missing LAC weights {missing}")
    for name, shape in WEIGHT_SHAPES.items():
        got = weights[name]
        if tuple(got.shape) != shape or got.dtype != np.float32:
            raise LacResourceError(
                f"{where}: {name} is {got.dtype}{list(got.shape)}, expected float32{list(shape)}"
            )
    return {name: weights[name] for name in WEIGHT_SHAPES}


def write_dir(
    out: Path, weights: dict[str, np.ndarray], dicts: dict[str, bytes], meta: dict, notice: str
) -> None:
    """Write the directory; ``meta.json`` last, so a directory with it is complete."""
    out.mkdir(parents=True, exist_ok=True)
    (out / META_FILE).unlink(missing_ok=True)
    np.savez(out / WEIGHTS_FILE, **check_weights(weights, str(out)))
    for name in DICT_FILES:
        (out / name).write_bytes(dicts[name])
    (out / NOTICE_FILE).write_text(notice, encoding="utf-8")
    files = {name: sha256_file(out / name) for name in HASHED_FILES}
    full = {"format": FORMAT, **meta, "files": files}
    (out / META_FILE).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def dir_is_complete(path: Path, source_sha256: str | None = None, verify: bool = True) -> bool:
    """True when every file is there and matches meta.json (and, if given, the source hash)."""
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if meta.get("format") != FORMAT or (source_sha256 and meta.get("source_sha256") != source_sha256):
        return False
    files = meta.get("files", {})
    for name in HASHED_FILES:
        if not (path / name).is_file() or name not in files:
            return False
        if verify and sha256_file(path / name) != files[name]:
            return False
    return True


def read_dir(path: Path) -> tuple[dict[str, np.ndarray], dict[str, bytes], dict]:
    path = Path(path)
    hint = "run `zhie lac-fetch --out DIR` to create it"
    if not path.is_dir():
        raise LacResourceError(f"no LAC model directory at {path}: {hint}")
    missing = [name for name in DIR_FILES if not (path / name).is_file()]
    if missing:
        raise LacResourceError(f"incomplete LAC model directory {path}: missing {missing}; {hint}")
    meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise LacResourceError(
            f"{path}/{META_FILE}: format {meta.get('format')!r}, expected {FORMAT!r}; {hint}"
        )
    with np.load(path / WEIGHTS_FILE, allow_pickle=False) as npz:
        weights = check_weights({k: npz[k] for k in npz.files}, str(path / WEIGHTS_FILE))
    dicts = {name: (path / name).read_bytes() for name in DICT_FILES}
    return weights, dicts, meta


def to_blob(weights: dict[str, np.ndarray], dicts: dict[str, bytes], meta: dict) -> bytes:
    arrays = dict(weights)
    for name, data in dicts.items():
        arrays[f"dic.{name}"] = np.frombuffer(data, dtype=np.uint8)
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def from_blob(blob: bytes) -> tuple[dict[str, np.ndarray], dict[str, bytes], dict]:
    try:
        npz = np.load(io.BytesIO(blob), allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise LacResourceError(f"not a LAC model blob: {err}") from err
    with npz:
        names = set(npz.files)
        missing = [f"dic.{n}" for n in DICT_FILES if f"dic.{n}" not in names] + (
            ["meta"] if "meta" not in names else []
        )
        if missing:
            raise LacResourceError(f"LAC model blob lacks {missing}")
        weights = check_weights({k: npz[k] for k in names if k in WEIGHT_SHAPES}, "LAC model blob")
        dicts = {n: npz[f"dic.{n}"].tobytes() for n in DICT_FILES}
        meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
    return weights, dicts, meta
