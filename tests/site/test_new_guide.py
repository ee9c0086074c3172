"""`python -m scripts.new_guide` scaffolds a guide that passes the checks as it stands.

Every test works on a temporary copy of the files the scaffold reads and writes; the
real repository is never touched.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import new_guide

ROOT = Path(__file__).resolve().parents[2]
SLUG, STAGE, TITLE = "rag-evals", 3, 'Evaluating "RAG" in production'
CREATED = [
    "docs/guides/rag-evals.md",
    "snippets/stage3/rag_evals.py",
    "tests/stage3/test_rag_evals.py",
    "tests/stage3/responses/rag_evals.yml",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of what the scaffold and the generated test need, nothing more."""
    for name in (
        "mkdocs.yml",
        "pyproject.toml",
        "snippets/__init__.py",
        "snippets/stage1/__init__.py",
        "snippets/stage1/replies.py",  # every example reads replies through it
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "docs" / "stages", tmp_path / "docs" / "stages")
    (tmp_path / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", "site_builds.py"):
        shutil.copy(ROOT / "tests" / name, tmp_path / "tests" / name)
    shutil.copytree(
        ROOT / "tests" / "double",
        tmp_path / "tests" / "double",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def scaffold(repo: Path, *args: str) -> int:
    argv = [SLUG, "--stage", str(STAGE), "--title", TITLE, *args]
    return new_guide.main(argv, root=repo)


def run(repo: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_it_creates_page_module_test_replies_and_nav_entry(repo, capsys):
    before = (repo / "mkdocs.yml").read_text()
    assert scaffold(repo) == 0
    out = capsys.readouterr().out
    for path in CREATED:
        assert (repo / path).is_file()
        assert f"  {path}\n" in out
    assert (repo / "snippets/stage3/__init__.py").is_file()
    assert (repo / "tests/stage3/__init__.py").is_file()

    after = (repo / "mkdocs.yml").read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["      - guides/rag-evals.md"], "one nav line, nothing else"
    guides = after.split("  - Guides:\n", 1)[1].split("\n  - ", 1)[0]
    assert guides.rstrip().endswith("- guides/rag-evals.md"), "last in the section"


def test_the_page_has_front_matter_the_five_parts_and_an_include(repo):
    scaffold(repo)
    page = (repo / "docs/guides/rag-evals.md").read_text()
    assert page.startswith('---\ntitle: "Evaluating \\"RAG\\" in production"\n')
    assert "\ndescription: " in page
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## What you will be able to do",
        "## What to learn",
        "## The failure that teaches this",
        "## What to build",
        "## Checklist",
    ]
    assert '--8<-- "snippets/stage3/rag_evals.py:example"' in page
    assert "(../stages/03-retrieval.md)" in page
    assert "- [ ] " in page


def test_the_module_has_docstring_main_and_the_included_section(repo):
    scaffold(repo)
    module = (repo / "snippets/stage3/rag_evals.py").read_text()
    assert module.startswith('"""Evaluating "RAG" in production: ')
    assert "# --8<-- [start:example]" in module
    assert "# --8<-- [end:example]" in module
    assert 'if __name__ == "__main__":\n    main()\n' in module


def test_the_generated_code_is_ruff_clean(repo):
    scaffold(repo)
    paths = ["snippets/stage3", "tests/stage3"]
    lint = run(repo, "ruff", "check", *paths)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    formatting = run(repo, "ruff", "format", "--check", *paths)
    assert formatting.returncode == 0, formatting.stdout + formatting.stderr


def test_the_generated_test_passes_against_the_double(repo):
    scaffold(repo)
    result = run(
        repo, "pytest", "-q", "-p", "no:cacheprovider", "tests/stage3/test_rag_evals.py"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


@pytest.mark.parametrize(
    "existing",
    ["docs/guides/rag-evals.md", "snippets/stage3/rag_evals.py"],
)
def test_an_existing_slug_is_refused_and_nothing_changes(repo, capsys, existing):
    (repo / existing).parent.mkdir(parents=True, exist_ok=True)
    (repo / existing).write_text("taken\n")
    before = snapshot(repo)
    assert scaffold(repo) == 1
    assert capsys.readouterr().err == (
        f"new_guide: {existing} already exists; choose another slug, or edit that "
        "guide\n"
    )
    assert snapshot(repo) == before


def test_a_slug_already_in_the_nav_is_refused(repo, capsys):
    assert scaffold(repo) == 0
    for path in CREATED:
        (repo / path).unlink()
    assert scaffold(repo) == 1
    assert "mkdocs.yml already lists guides/rag-evals.md" in capsys.readouterr().err


def test_a_missing_nav_section_is_refused_and_nothing_changes(repo, capsys):
    yml = repo / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  - Guides:\n", "  - Handbook:\n"))
    before = snapshot(repo)
    assert scaffold(repo) == 1
    assert capsys.readouterr().err == (
        "new_guide: mkdocs.yml: no `- Guides:` section in `nav`, so the new page "
        "cannot be listed; add the section, or add `- guides/rag-evals.md` to the "
        "nav by hand\n"
    )
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["Rag_Evals", "--stage", "3", "--title", "T"], "use lower-case words"),
        (["3d-rag", "--stage", "3", "--title", "T"], "starting with a letter"),
        (["a" * 41, "--stage", "3", "--title", "T"], "keep it to 40 or fewer"),
        (["rag-evals", "--stage", "7", "--title", "T"], "stages are numbered 1 to 6"),
        (["rag-evals", "--stage", "3", "--title", " "], "on one line"),
    ],
)
def test_bad_arguments_are_refused_with_the_reason(repo, capsys, argv, message):
    before = snapshot(repo)
    assert new_guide.main(argv, root=repo) == 1
    assert message in capsys.readouterr().err
    assert snapshot(repo) == before


def test_a_stage_without_a_page_is_refused(repo, capsys):
    for page in (repo / "docs" / "stages").glob("03-*.md"):
        page.unlink()
    assert scaffold(repo) == 1
    assert "docs/stages/: no page for stage 3" in capsys.readouterr().err


def test_the_entry_goes_after_sub_groups_at_the_sections_own_depth():
    yml = (
        "nav:\n  - Guides:\n      - guides/index.md\n      - Retrieval:\n"
        "          - How RAG works: guides/how-rag-works.md\n  - Reference:\n"
    )
    guide = new_guide.Guide(slug="x", stage=1, title="X")
    assert new_guide.nav_with_guide(yml, guide) == (
        "nav:\n  - Guides:\n      - guides/index.md\n      - Retrieval:\n"
        "          - How RAG works: guides/how-rag-works.md\n"
        "      - guides/x.md\n  - Reference:\n"
    )


def test_nav_entries_follow_the_sections_indentation():
    yml = "nav:\n  - Guides:\n    - guides/index.md\n\n  - Reference:\n    - r.md\n"
    guide = new_guide.Guide(slug="x", stage=1, title="X")
    assert new_guide.nav_with_guide(yml, guide) == (
        "nav:\n  - Guides:\n    - guides/index.md\n    - guides/x.md\n\n"
        "  - Reference:\n    - r.md\n"
    )
    empty = "nav:\n  - Guides:\n"
    assert new_guide.nav_with_guide(empty, guide).endswith(
        "  - Guides:\n      - guides/x.md\n"
    )


def test_it_runs_as_a_module():
    result = run(ROOT, "scripts.new_guide", "--help")
    assert result.returncode == 0
    assert "usage: python -m scripts.new_guide" in result.stdout
