"""The packaged MiniLM as an ONNX file, exported once and cached under the data folder by the model files' hash.

The graph holds the whole sentence-transformers pipeline after tokenising (transformer, mean pooling over
the attention mask, L2 normalisation), so ONNX Runtime's output is the embedding itself. The export needs
torch and runs once per model and precision; everything after it reads the cached file. Files are written
beside their final name and renamed into place, so processes exporting at once never read half a file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from pathlib import Path
from typing import Literal

Precision = Literal["fp32", "int8-per-channel", "int8"]
EXPORT_VERSION = 1  # bump when the exported graph changes, so old caches are not reused
OPSET = 17


def model_digest(folder: Path, cache: Path) -> str:
    """sha256 over every model file's name and bytes, remembered in `cache` per (size, mtime) so a start does not
    re-read 90 MB."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    stamp = json.dumps([[str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns] for p in files])
    memo = cache / f".digest-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}"
    if memo.is_file():
        return memo.read_text(encoding="utf-8")
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(folder)).encode())
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    cache.mkdir(parents=True, exist_ok=True)
    _write_atomically(memo, digest.hexdigest().encode())
    return digest.hexdigest()


def cached_model(cache: Path, model_folder: Path, precision: Precision) -> Path:
    """The ONNX file for this model and precision, exporting (and quantising) it first if it is not cached."""
    folder = cache / f"minilm-{model_digest(model_folder, cache)[:16]}-v{EXPORT_VERSION}"
    target = folder / f"model-{precision}.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model-fp32.onnx"
    if not fp32.is_file():
        _export(model_folder, fp32)
    if precision != "fp32":
        _quantise(fp32, target, per_channel=precision == "int8-per-channel")
    return target


def _export(model_folder: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    transformer = SentenceTransformer(str(model_folder), device="cpu", local_files_only=True)[0].auto_model.eval()

    class MeanPooledNormalised(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    example = (torch.ones((2, 8), dtype=torch.int64), torch.ones((2, 8), dtype=torch.int64))
    partial = target.with_suffix(f".{os.getpid()}.partial")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing, none of which apply to this graph
        torch.onnx.export(MeanPooledNormalised().eval(), example, str(partial), input_names=["input_ids", "attention_mask"],
                          output_names=["embedding"], opset_version=OPSET, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
    os.replace(partial, target)


def _quantise(source: Path, target: Path, per_channel: bool) -> None:
    """int8 weights, activations quantised on the fly (dynamic): the CPU-friendly choice for a BERT encoder."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    partial = target.with_suffix(f".{os.getpid()}.partial.onnx")
    root = logging.getLogger()
    level, root.level = root.level, logging.ERROR  # its advice to pre-process is for static quantisation
    try:
        quantize_dynamic(str(source), str(partial), per_channel=per_channel, weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    os.replace(partial, target)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    os.replace(partial, path)
