#!/usr/bin/python3
"""Writes the PyTorch-layout fixtures of nn/pytorch_test.go into testdata/pytorch/.

A torch.nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) state_dict as
safetensors' save_file(model.state_dict(), path, metadata={"format": "pt"})
lays it out: tensors "0.weight" [4, 3], "0.bias" [4], "2.weight" [2, 4],
"2.bias" [2]; an 8-byte little-endian header length, the JSON header padded
with spaces to a multiple of 8, then the raw little-endian tensors. Debian's
torch 1.13 has no safetensors module, so the format is written here with
numpy alone, byte for byte as the safetensors package writes it.

Files:
  sequential_{F32,F64,F16,BF16}.safetensors: the same random weights rounded
    to each dtype, with __metadata__ "input" (two rows of three values) and
    "output" (the logits of those rows, computed in float64 from the
    rounded weights), JSON.
  specials_{F16,BF16}.safetensors: Sequential(Linear(12, 1)) whose weight
    row holds zeros of both signs, the extreme normal and subnormal values,
    infinities and NaN of the dtype (see pytorch_test.go for the list).

Run from the repository root:  /usr/bin/python3 nn/testdata/gen_pytorch.py
(numpy 1.24, Debian's python3-numpy). The output is deterministic.
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch")


def bf16_bits(x):
    """float32 values rounded to bfloat16 (nearest, ties to even), as uint16 bits."""
    u = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    r[nan] = 0x7FC0
    return r


def bf16_values(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def encode(x, dtype):
    """(bytes, values as float64) of the array x in dtype."""
    if dtype == "BF16":
        bits = bf16_bits(x)
        return bits.astype("<u2").tobytes(), bf16_values(bits)
    np_type = {"F32": "<f4", "F64": "<f8", "F16": "<f2"}[dtype]
    a = np.asarray(x).astype(np_type)
    return a.tobytes(), a.astype(np.float64)


def write(path, tensors, metadata):
    """tensors: list of (name, dtype, shape, bytes) in data order."""
    header = {"__metadata__": metadata}
    data = b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-(8 + len(h)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(14)
    w0 = rng.normal(0, 0.7, (4, 3))
    b0 = rng.normal(0, 0.3, 4)
    w2 = rng.normal(0, 0.7, (2, 4))
    b2 = rng.normal(0, 0.3, 2)
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    for dtype in ["F32", "F64", "F16", "BF16"]:
        parts = [encode(t, dtype) for t in (w0, b0, w2, b2)]
        (rw0, vw0), (rb0, vb0), (rw2, vw2), (rb2, vb2) = parts
        vw0, vw2 = vw0.reshape(4, 3), vw2.reshape(2, 4)
        out = np.maximum(x @ vw0.T + vb0, 0) @ vw2.T + vb2
        write(os.path.join(OUT, "sequential_%s.safetensors" % dtype),
              [("0.weight", dtype, (4, 3), rw0), ("0.bias", dtype, (4,), rb0),
               ("2.weight", dtype, (2, 4), rw2), ("2.bias", dtype, (2,), rb2)],
              {"format": "pt", "input": json.dumps(x.ravel().tolist()), "output": json.dumps(out.ravel().tolist())})

    inf, nan = float("inf"), float("nan")
    f16 = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 2.0**-14, 2.0**-24, 3 * 2.0**-24, 1023 * 2.0**-24, inf, -inf, nan],
                   dtype=np.float16)
    bf16 = bf16_bits(np.array([0.0, -0.0, 1.0, -2.5, 3.3895313892515355e38, 2.0**-126, 2.0**-133, 3 * 2.0**-133,
                               0.1, inf, -inf, nan], dtype=np.float32))
    for dtype, raw in [("F16", f16.astype("<f2").tobytes()), ("BF16", bf16.astype("<u2").tobytes())]:
        bias, _ = encode(np.array([0.5]), dtype)
        write(os.path.join(OUT, "specials_%s.safetensors" % dtype),
              [("0.weight", dtype, (1, 12), raw), ("0.bias", dtype, (1,), bias)], {"format": "pt"})


if __name__ == "__main__":
    main()
