"""The embedding model behind the offline scorer: wordllama's bundled 256-dim model, on numpy.

`WordLlama.load()` looks for the tokenizer in a folder its wheel does not have and then
downloads it. We build the model from the two files the wheel does ship instead, so loading
never touches the network, and do what its WordLlamaInference does (a float32 table, the
tokenizer padded and never truncated) without importing the wordllama package, whose
__init__ pulls in requests and its clustering code and sets up the root logger: a tenth of
a second and several MiB for nothing. numpy, safetensors and tokenizers load on first use.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from interview_cli.errors import ScoringError

if TYPE_CHECKING:
    import numpy as np

WEIGHTS_FILE = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER_FILE = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR_KEY = "embedding.weight"
REINSTALL_HINT = "reinstall it with: pip install --force-reinstall wordllama==0.4.0.post1"

_lock = threading.Lock()
_loaded: Embedder | None = None


class Embedder:
    """Turns texts into vectors with wordllama's mean pooling of token embeddings.

    Cosine similarity only sees a vector's direction, and a mean points where the sum does, so
    we work with token sums: the vector of two adjacent sentences is the sum of theirs, for free.
    """

    def __init__(self, embedding: np.ndarray, tokenizer):
        self.embedding = embedding
        self._tokenizer = tokenizer

    @property
    def dim(self) -> int:
        return int(self.embedding.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text; a text with no tokens gets a zero row."""
        return unit_rows(self.token_sums(texts))

    def token_sums(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        table = self.embedding
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Lower-casing lets 'Hash map' and 'hash map' share tokens.
        encodings = self._tokenizer.encode_batch([t.lower() for t in texts], is_pretokenized=False,
                                                 add_special_tokens=False)
        ids = [[i for i, keep in zip(e.ids, e.attention_mask, strict=True) if keep] for e in encodings]
        lengths = np.array([len(row) for row in ids])
        sums = np.zeros((len(texts), self.dim), dtype=np.float32)
        if lengths.sum():
            flat = np.fromiter((i for row in ids for i in row), dtype=np.int64, count=int(lengths.sum()))
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            present = lengths > 0
            sums[present] = np.add.reduceat(table[flat], starts[present], axis=0)
        return sums


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    import numpy as np

    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def load_embedder() -> Embedder:
    """The process-wide model, loaded on first call."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load()
        return _loaded


def _load() -> Embedder:
    package = _package_dir()
    weights, tokenizer_file = package / WEIGHTS_FILE, package / TOKENIZER_FILE
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise ScoringError(f"offline scorer: model file {path} is missing — {REINSTALL_HINT}")
    try:
        import numpy as np
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(weights), framework="np", device="cpu") as handle:
            embedding = np.ascontiguousarray(handle.get_tensor(TENSOR_KEY).astype(np.float32))
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_padding()
        tokenizer.no_truncation()
    except Exception as exc:  # any failure here means a broken install, reported in one line
        reason = f"{exc.__class__.__name__}: {exc}"
        raise ScoringError(f"offline scorer: cannot load the model ({reason}) — {REINSTALL_HINT}") from None
    return Embedder(embedding, tokenizer)


def _package_dir() -> Path:
    spec = importlib.util.find_spec("wordllama")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ScoringError(f"offline scorer: the wordllama package is not installed — {REINSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))
