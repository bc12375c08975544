"""Sentence embeddings from all-MiniLM-L6-v2, on ONNX Runtime or on torch.

Texts are tokenised with the model's own tokenizer.json (lower-cased
WordPiece, cut at 256 tokens as sentence-transformers does), sorted by length
and run in batches, so that a batch holds texts of similar length and little
padding. Every runtime gives unit-length float32 vectors of 384 numbers.

Runtimes (``SEMANTIC_RUNTIME``): ``onnx-int8`` (the default: fastest on a CPU),
``onnx-fp32``, and ``torch`` (when ONNX Runtime is not installed). torch and
ONNX fp32 compute the same numbers, so they share stored vectors; int8's
differ slightly, so a change between int8 and the others re-embeds.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from collections.abc import Sequence

import numpy as np
from django.conf import settings

from clearinghouse.search.semantic import model_files

RUNTIMES = ("onnx-int8", "onnx-fp32", "torch")
BATCH_SIZE = 32


class SemanticUnavailable(RuntimeError):
    """Semantic search was asked for where it cannot run."""


def runtime() -> str | None:
    """The runtime in use: the setting, resolved against what is installed.

    None when semantic search is switched off or cannot run here; search then
    ranks by keyword alone.
    """
    if not settings.SEMANTIC_SEARCH or not _installed(model_files.PACKAGE):
        return None
    wanted = settings.SEMANTIC_RUNTIME
    has_onnx = _installed("onnxruntime") and _installed("tokenizers")
    has_torch = _installed("torch") and _installed("transformers")
    if wanted == "auto":
        return "onnx-int8" if has_onnx else ("torch" if has_torch else None)
    if wanted not in RUNTIMES:
        raise SemanticUnavailable(
            f"SEMANTIC_RUNTIME must be auto or one of {', '.join(RUNTIMES)},"
            f" not {wanted!r}"
        )
    return wanted if (has_torch if wanted == "torch" else has_onnx) else None


def available() -> bool:
    """True when semantic and hybrid search can run in this installation."""
    return runtime() is not None


def model_id(name: str | None = None) -> str:
    """What stored vectors were made with: model, package version, numbers."""
    name = name or runtime() or "none"
    numbers = "int8" if name == "onnx-int8" else "fp32"
    return f"{model_files.MODEL_NAME}/{model_files.package_version()}/{numbers}"


@functools.cache
def _installed(module: str) -> bool:
    """Whether a module can be imported (asked once per process)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class Embedder:
    """Turns texts into unit vectors with one runtime."""

    def __init__(self, name: str) -> None:
        from tokenizers import Tokenizer

        self.runtime = name
        self.model_id = model_id(name)
        self.tokenizer = Tokenizer.from_file(
            str(model_files.package_dir() / "tokenizer.json")
        )
        self.tokenizer.enable_truncation(model_files.MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._run = _torch_runner() if name == "torch" else _onnx_runner(name)

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One unit vector per text, in the order given."""
        vectors = np.zeros((len(texts), model_files.DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] or " " for i in chosen])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            vectors[chosen] = self._run(ids, mask)
        return vectors


def _onnx_runner(name: str):  # noqa: ANN202 - a closure over the session
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if settings.SEMANTIC_THREADS:
        options.intra_op_num_threads = settings.SEMANTIC_THREADS
    path = model_files.ensure_onnx(name.removeprefix("onnx-"))
    session = onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"]
    )

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    return run


def _torch_runner():  # noqa: ANN202 - a closure over the model
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_files.package_dir()))
    model = model_files.with_pooling(bert.eval())
    if settings.SEMANTIC_THREADS:
        torch.set_num_threads(settings.SEMANTIC_THREADS)

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

    return run


_lock = threading.Lock()
_loaded: dict[str, Embedder] = {}


def get_embedder(name: str | None = None) -> Embedder:
    """The process's embedder for a runtime (the configured one by default);
    loaded once, then shared."""
    name = name or runtime()
    if name is None:
        raise SemanticUnavailable(
            "Semantic search is off or the embedding model is not installed"
            " (pip install 'clearinghouse[semantic]')."
        )
    with _lock:
        if name not in _loaded:
            _loaded[name] = Embedder(name)
        return _loaded[name]


@functools.lru_cache(maxsize=512)
def _cached_query(name: str, text: str) -> bytes:
    return get_embedder(name).encode([text])[0].tobytes()


def embed_query(text: str) -> np.ndarray:
    """The vector of a search query; recent queries (paging) are remembered."""
    name = runtime()
    if name is None:
        raise SemanticUnavailable("Semantic search is not available here.")
    return np.frombuffer(_cached_query(name, text), dtype=np.float32)
