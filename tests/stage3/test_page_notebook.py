"""The Stage 3 notebook runs top to bottom against the real database and model.

Its cells run in order in one IPython shell in the test process, as a kernel
runs them: the model this process already loaded (tests/stage3/model_cache.py)
spares the notebook the start of a kernel and a second import of PyTorch.
"""

from pathlib import Path

import nbformat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs/notebooks/stage3-pipeline.ipynb"


def printed_by_each_cell(notebook: nbformat.NotebookNode) -> list[str]:
    """What each code cell wrote to stdout; a cell that raises fails the test."""
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    try:
        printed = []
        for cell in notebook.cells:
            if cell.cell_type != "code":
                continue
            with capture_output() as captured:  # results shown apart, as a kernel's
                result = shell.run_cell(cell.source)
            result.raise_error()
            printed.append(captured.stdout)
        return printed
    finally:
        InteractiveShell.clear_instance()


def test_the_notebook_executes_and_shows_what_the_page_says(
    database_url, monkeypatch, tmp_path
):
    monkeypatch.chdir(ROOT)  # where a reader's kernel starts
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    outputs = printed_by_each_cell(nbformat.read(NOTEBOOK, as_version=4))
    assert outputs[0] == "18.6\n"
    assert "the model reads 254 tokens at a time" in outputs[1]
    assert outputs[3].splitlines()[1] == (
        "0 added, 0 replaced, 7 unchanged, 0 removed, 0 skipped, 0 chunks written"
    )
    assert "pydoc:typesmapping" in outputs[4].split("hybrid")[1]
    assert outputs[5].startswith("10 questions")
    assert "hybrid  recall@5" in outputs[5]
