"""The output directory: shard files plus ``manifest.json`` saying which shards are complete.

A shard is written to temporary files, renamed into place, and only then recorded in the
manifest (itself replaced atomically), so a run killed at any moment leaves either a complete
shard listed in the manifest or nothing that a restart trusts. The manifest holds no times or
worker counts: two runs with the same inputs and settings leave identical directories.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..checksums import sha256_file

FORMAT = 1
MANIFEST = "manifest.json"
SHARD_DIR = "shards"


def shard_paths(out_dir: Path, index: int) -> tuple[Path, Path]:
    base = out_dir / SHARD_DIR / f"{index:06d}"
    return base.with_suffix(".jsonl"), base.with_suffix(".errors.jsonl")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as sink:
        sink.write(text)
        sink.flush()
        os.fsync(sink.fileno())
    os.replace(tmp, path)


class Manifest:
    def __init__(self, out_dir: Path, settings: dict[str, Any]) -> None:
        self.out_dir = out_dir
        self.settings = settings
        self.shards: dict[int, dict[str, Any]] = {}
        self.complete = False
        self.totals: dict[str, int] = {}

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST

    @classmethod
    def open(cls, out_dir: Path, settings: dict[str, Any], restart: bool = False) -> Manifest:
        """The manifest of ``out_dir``; shards of an earlier run are kept if settings match."""
        manifest = cls(out_dir, settings)
        (out_dir / SHARD_DIR).mkdir(parents=True, exist_ok=True)
        if manifest.path.exists() and not restart:
            old = json.loads(manifest.path.read_text(encoding="utf-8"))
            if old.get("format") != FORMAT or old.get("settings") != settings:
                raise ValueError(
                    f"{out_dir} holds a run with other inputs or settings ({old.get('settings')}); "
                    "use another --out directory or --restart"
                )
            manifest.shards = {entry["index"]: entry for entry in old.get("shards", [])}
        elif restart:
            for path in (out_dir / SHARD_DIR).iterdir():
                path.unlink()
            manifest.path.unlink(missing_ok=True)
        return manifest

    def is_complete(self, index: int, first_id: str | None = None) -> bool:
        """Listed for the same first record, and both files still there with the recorded content."""
        entry = self.shards.get(index)
        if entry is None or (first_id is not None and entry.get("first_id") != first_id):
            return False
        records, errors = shard_paths(self.out_dir, index)
        return (
            records.exists() and errors.exists()
            and sha256_file(records) == entry["records_sha256"]
            and sha256_file(errors) == entry["errors_sha256"]
        )

    def add_shard(self, index: int, records: str, errors: str, counts: dict[str, Any]) -> None:
        records_path, errors_path = shard_paths(self.out_dir, index)
        _write_atomic(records_path, records)
        _write_atomic(errors_path, errors)
        self.shards[index] = {
            "index": index,
            **counts,
            "records_sha256": hashlib.sha256(records.encode("utf-8")).hexdigest(),
            "errors_sha256": hashlib.sha256(errors.encode("utf-8")).hexdigest(),
        }
        self.save()

    def finish(self, n_shards: int) -> None:
        """Mark the run complete; shards beyond the last (from an older, longer run) go."""
        for index in [i for i in self.shards if i >= n_shards]:
            del self.shards[index]
            for path in shard_paths(self.out_dir, index):
                path.unlink(missing_ok=True)
        keys = ("records", "errors", "skipped")
        self.totals = {key: sum(int(s.get(key, 0)) for s in self.shards.values()) for key in keys}
        self.totals["shards"] = n_shards
        self.complete = True
        self.save()

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "settings": self.settings,
            "complete": self.complete,
            "totals": self.totals,
            "shards": [self.shards[i] for i in sorted(self.shards)],
        }
        _write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_manifest(out_dir: Path) -> dict[str, Any]:
    return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))


def iter_output(out_dir: str | Path, errors: bool = False) -> Iterator[dict[str, Any]]:
    """Records (or error entries) of a finished run, in input order, one at a time."""
    out = Path(out_dir)
    manifest = read_manifest(out)
    if not manifest.get("complete"):
        raise ValueError(f"the run in {out} is not complete; run the same extract command again")
    for entry in manifest["shards"]:
        path = shard_paths(out, entry["index"])[1 if errors else 0]
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                yield json.loads(line)
