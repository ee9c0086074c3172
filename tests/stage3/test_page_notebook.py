"""The Stage 3 notebook runs top to bottom against the real database and model."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs/notebooks/stage3-pipeline.ipynb"


def test_the_notebook_executes_and_shows_what_the_page_says(database_url):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel inherits this process's environment, DATABASE_URL included.
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parents[2])}},
    ).execute()
    outputs = [
        "".join(o.text for o in cell.outputs if o.get("name") == "stdout")
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    assert outputs[0] == "18.6\n"
    assert "the model reads 254 tokens at a time" in outputs[1]
    assert outputs[3].splitlines()[1] == (
        "0 added, 0 replaced, 7 unchanged, 0 removed, 0 skipped, 0 chunks written"
    )
    assert "pydoc:typesmapping" in outputs[4].split("hybrid")[1]
    assert outputs[5].startswith("10 questions")
    assert "hybrid  recall@5" in outputs[5]
