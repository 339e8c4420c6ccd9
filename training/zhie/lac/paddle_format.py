"""Reader of paddle 1.x parameter files (``fluid.io.save_params``: one LoDTensor per file).

Layout, little-endian: uint32 version; uint64 lod_level, then per level a uint64 byte size and
that many bytes of offsets; uint32 tensor version; int32 n and n bytes of a ``TensorDesc``
protobuf (field 1 varint data type, field 2 int64 dims); then the raw row-major data.
"""

from __future__ import annotations

import struct

import numpy as np

# paddle VarType.Type -> numpy
_DTYPES = {0: np.bool_, 1: np.int16, 2: np.int32, 3: np.int64, 4: np.float16, 5: np.float32, 6: np.float64}


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _tensor_desc(buf: bytes) -> tuple[int, list[int]]:
    dtype, dims, pos = -1, [], 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        if field == 1 and wire == 0:
            dtype, pos = _varint(buf, pos)
        elif field == 2 and wire == 0:
            dim, pos = _varint(buf, pos)
            dims.append(dim)
        elif field == 2 and wire == 2:  # packed dims
            size, pos = _varint(buf, pos)
            end = pos + size
            while pos < end:
                dim, pos = _varint(buf, pos)
                dims.append(dim)
        else:
            raise ValueError(f"unexpected TensorDesc field {field} (wire type {wire})")
    return dtype, dims


def read_tensor(data: bytes, name: str = "tensor") -> np.ndarray:
    """The array stored in one paddle parameter file."""
    try:
        pos = 4  # uint32 version
        (lod_level,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        for _ in range(lod_level):
            (size,) = struct.unpack_from("<Q", data, pos)
            pos += 8 + size
        pos += 4  # uint32 tensor version
        (desc_size,) = struct.unpack_from("<i", data, pos)
        pos += 4
        dtype_id, dims = _tensor_desc(data[pos : pos + desc_size])
        pos += desc_size
    except (struct.error, IndexError) as err:
        raise ValueError(f"{name}: truncated paddle tensor header") from err
    if dtype_id not in _DTYPES:
        raise ValueError(f"{name}: unsupported paddle data type {dtype_id}")
    dtype = np.dtype(_DTYPES[dtype_id]).newbyteorder("<")
    count = int(np.prod(dims)) if dims else 1
    if len(data) - pos != count * dtype.itemsize:
        raise ValueError(f"{name}: {len(data) - pos} data bytes for dims {dims} of {dtype}")
    return (
        np.frombuffer(data, dtype=dtype, count=count, offset=pos)
        .reshape(dims)
        .astype(dtype.newbyteorder("="))
    )
