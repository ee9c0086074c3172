"""The one post-build step: one entry point, run the same way after MkDocs and after
Zensical (site_markdown/post_build/), and the thin hook for `mkdocs serve`."""

import importlib.util
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from site_markdown.post_build import run
from site_markdown.post_build.__main__ import main
from tests import site_builds

ROOT = Path(__file__).resolve().parents[2]
# MkDocs loads a hook from its file, as a module of its own; so does this test.
_SPEC = importlib.util.spec_from_file_location(
    "post_build_hook", ROOT / "hooks/post_build.py"
)
serve_hook = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(serve_hook)
CONFIG = """\
site_name: Site
site_url: https://example.org/r/
nav:
  - index.md
  - FAQ: faq.md
"""
PAGE = (
    "<html><head><title>{title}</title></head><body>"
    '<article class="md-content__inner md-typeset">{content}</article></body></html>'
)


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nHello.\n")
    (tmp_path / "docs" / "faq.md").write_text("# FAQ\n\n## Why?\n\nBecause.\n")
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    site = tmp_path / "site"
    (site / "faq").mkdir(parents=True)
    (site / "index.html").write_text(PAGE.format(title="Home", content="<p>Hi</p>"))
    (site / "faq" / "index.html").write_text(
        PAGE.format(title="FAQ", content="<h2>Why?</h2><p>Because.</p>")
    )
    return tmp_path


def test_run_does_every_job_the_site_needs_and_says_which(project):
    assert run(project / "site", project / "mkdocs.yml") == [
        "llms.txt and llms-full.txt",
        "FAQPage structured data on docs/faq.md",
    ]
    assert (project / "site" / "llms.txt").read_text().startswith("# Site\n")
    assert "application/ld+json" in (project / "site/faq/index.html").read_text()


def test_the_command_line_reports_a_broken_site_without_a_traceback(project, capsys):
    assert (
        main([str(project / "nowhere"), "--config", str(project / "mkdocs.yml")]) == 1
    )
    assert capsys.readouterr().err == (
        f"post-build: {project / 'nowhere'} holds no built site (no index.html)\n"
    )


def test_the_command_line_prints_what_it_did(project, capsys):
    assert main([str(project / "site"), "--config", str(project / "mkdocs.yml")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "post-build: llms.txt and llms-full.txt",
        "post-build: FAQPage structured data on docs/faq.md",
    ]
    assert re.fullmatch(
        rf"post-build: {re.escape(str(project))}/site done in \S+ s", lines[2]
    )


def recipe(target: str) -> list[str]:
    """The command lines of a Makefile target."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    body = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.M)
    return [line.strip() for line in body[1].splitlines()]


def test_every_build_target_runs_its_generator_then_the_same_step():
    assert recipe("build") == [
        "$(BIN)/mkdocs build --strict",
        "$(POST_BUILD) site",
    ]
    assert recipe("offline") == [
        "OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline",
        "$(POST_BUILD) site-offline",
    ]
    assert recipe("build-zensical") == [
        "$(BIN)/zensical build --strict --config-file zensical.yml",
        "$(POST_BUILD) site-zensical",
    ]


def test_mkdocs_yml_keeps_one_hook_for_serve_and_zensical_never_cleans():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.findall(r"^  - (hooks/\S+\.py)", config, re.M) == ["hooks/post_build.py"]
    for path in ("Makefile", "tests/site_builds.py"):
        assert "--clean" not in (ROOT / path).read_text(encoding="utf-8"), (
            f"{path}: `zensical build --clean` deletes all of .cache/"
        )


def test_the_test_builds_run_the_step_after_the_generator(tmp_path, monkeypatch):
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command[1:])
        if "zensical" in command:
            Path(kwargs["env"]["ZENSICAL_SITE_DIR"]).mkdir(parents=True)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(site_builds.subprocess, "run", fake_run)
    monkeypatch.setattr(site_builds, "ZENSICAL_BUILDS", tmp_path / "inside")
    assert site_builds.main(tmp_path, "site") == 0
    assert site_builds.main(tmp_path, "site-zensical") == 0
    assert commands == [
        ["-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        ["-m", "site_markdown.post_build", str(tmp_path / "site")],
        ["-m", "zensical", "build", "--strict", "--config-file", "zensical.yml"],
        ["-m", "site_markdown.post_build", str(tmp_path / "site-zensical")],
    ]
    assert (tmp_path / "site-zensical").is_dir()
    assert (tmp_path / "site-zensical.rc").read_text() == "0"


def test_the_serve_hook_runs_the_step_under_serve_only(project):
    config = SimpleNamespace(
        site_dir=str(project / "site"), config_file_path=str(project / "mkdocs.yml")
    )
    serve_hook.on_startup(command="build", dirty=False)
    serve_hook.on_post_build(config)
    assert not (project / "site" / "llms.txt").exists()
    serve_hook.on_startup(command="serve", dirty=False)
    serve_hook.on_post_build(config)
    assert (project / "site" / "llms.txt").exists()
    (project / "site" / "index.html").unlink()
    with pytest.raises(PluginError, match="no built site"):
        serve_hook.on_post_build(config)
    serve_hook.on_startup(command="build", dirty=False)
