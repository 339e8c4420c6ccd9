"""Obtain ``LAC-2.1.2.tar.gz`` from PyPI (pinned by SHA-256, cached) and convert its lexical model.

Only ``LAC/lac_model/model/*`` (paddle parameter files) and ``LAC/lac_model/conf/*.dic`` are read
from the archive; nothing of paddle is installed or imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

from zh_industry_ie.lac.network import HIDDEN
from zh_industry_ie.lac.resources import DICT_FILES, NOTICE_FILE, dir_is_complete, sha256_file, write_dir
from zhie.lac.paddle_format import read_tensor

LAC_VERSION = "2.1.2"
SDIST_NAME = f"LAC-{LAC_VERSION}.tar.gz"
SDIST_SHA256 = "22fcde0d5082d2044205ea6f6a7a9cd1f0d63e7b21b2dd5c9c73f27e7c0a3ef1"
_MODEL_DIR = f"LAC-{LAC_VERSION}/LAC/lac_model"


def default_cache() -> Path:
    return Path(os.environ.get("ZHIE_CACHE", Path.home() / ".cache" / "zh_industry_ie"))


def _pip(args: list[str], env: dict[str, str] | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )


def obtain_sdist(cache: Path) -> Path:
    """The cached, verified tarball; downloaded with pip only when missing or corrupt."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / SDIST_NAME
    if target.is_file() and sha256_file(target) == SDIST_SHA256:
        return target
    with tempfile.TemporaryDirectory(dir=cache, prefix="lac-download-") as tmp:
        # pip prepares the sdist's metadata even for a download; LAC's setup.py imports
        # pkg_resources, gone from recent setuptools, and the isolated build fails. So: no build
        # isolation, with setuptools<70 first on the path (throw-away --target directory).
        tools = Path(tmp) / "tools"
        _pip(["install", "--quiet", "--no-deps", "--target", str(tools), "setuptools<70"])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tools), env.get("PYTHONPATH", "")) if p)
        download = Path(tmp) / "download"
        _pip(
            [
                "download",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--no-binary",
                "lac",
                "--dest",
                str(download),
                f"lac=={LAC_VERSION}",
            ],
            env=env,
        )
        got = download / SDIST_NAME
        if not got.is_file():
            raise RuntimeError(
                f"pip download saved {sorted(p.name for p in download.iterdir())}, not {SDIST_NAME}"
            )
        digest = sha256_file(got)
        if digest != SDIST_SHA256:
            raise RuntimeError(f"{SDIST_NAME} has SHA-256 {digest}, expected {SDIST_SHA256}")
        os.replace(got, target)
    return target


def convert_weights(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Paddle parameter arrays -> the arrays of ``zh_industry_ie.lac.network.WEIGHT_SHAPES``."""
    out = {"word_emb": tensors["word_emb"]}
    for i in range(5):
        out[f"fc_{i}.w"] = tensors[f"fc_{i}.w_0"]
        out[f"fc_{i}.b"] = tensors[f"fc_{i}.b_0"].reshape(-1)
    for i in range(4):
        # gru.w_0 is declared [H, 3H] but its buffer is two blocks: W_ur [H, 2H], then W_c [H, H].
        flat = tensors[f"gru_{i}.w_0"].reshape(-1)
        out[f"gru_{i}.w_ur"] = flat[: 2 * HIDDEN * HIDDEN].reshape(HIDDEN, 2 * HIDDEN)
        out[f"gru_{i}.w_c"] = flat[2 * HIDDEN * HIDDEN :].reshape(HIDDEN, HIDDEN)
        out[f"gru_{i}.b"] = tensors[f"gru_{i}.b_0"].reshape(-1)
    crf = tensors["crfw"]  # row 0 start, row 1 stop, rows 2.. transition[from, to]
    out["crf.start"], out["crf.stop"], out["crf.trans"] = crf[0], crf[1], crf[2:]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def read_sdist(sdist: Path) -> tuple[dict[str, np.ndarray], dict[str, bytes]]:
    names = ["word_emb", "crfw"] + [f"fc_{i}.{p}_0" for i in range(5) for p in "wb"]
    names += [f"gru_{i}.{p}_0" for i in range(4) for p in "wb"]
    tensors: dict[str, np.ndarray] = {}
    dicts: dict[str, bytes] = {}
    with tarfile.open(sdist, "r:gz") as tar:
        for name in names:
            tensors[name] = read_tensor(_member(tar, f"{_MODEL_DIR}/model/{name}"), name)
        for name in DICT_FILES:
            dicts[name] = _member(tar, f"{_MODEL_DIR}/conf/{name}")
    return convert_weights(tensors), dicts


def _member(tar: tarfile.TarFile, name: str) -> bytes:
    f = tar.extractfile(name)
    if f is None:
        raise RuntimeError(f"{name} is not a file in the LAC archive")
    return f.read()


def fetch(out: Path, cache: Path | None = None, force: bool = False) -> bool:
    """Make OUT a complete converted LAC model; False when it already was (nothing done)."""
    if not force and dir_is_complete(out, SDIST_SHA256):
        return False
    sdist = obtain_sdist(cache or default_cache())
    weights, dicts = read_sdist(sdist)
    notice = resources.files("zh_industry_ie.lac").joinpath(NOTICE_FILE).read_text(encoding="utf-8")
    meta = {
        "source": f"PyPI lac=={LAC_VERSION}: {SDIST_NAME}, LAC/lac_model/{{model,conf}}",
        "source_sha256": SDIST_SHA256,
        "licence": "Apache-2.0",
        "copyright": "Copyright (c) 2020 Baidu, Inc.",
        "homepage": "https://github.com/baidu/lac",
    }
    write_dir(out, weights, dicts, meta, notice)
    return True
