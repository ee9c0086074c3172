"""MkDocs hook, for `mkdocs serve` only: the post-build step after every rebuild.

Why a hook at all: the site-wide jobs live in one post-build step
(site_markdown/post_build/), which `make build`, `make offline` and
`make build-zensical` run after their generator. `mkdocs serve` rebuilds the site
itself whenever a file changes, without make, and no Markdown extension sees the
built site, so neither mechanism reaches a served site. This hook runs the same step,
on the same directory, when the command is `serve`; under `mkdocs build` it does
nothing, so that build and the Zensical build get the step the same way, from make.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from site_markdown.post_build import run
from site_markdown.post_build.site_config import PostBuildError

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_post_build(config) -> None:
    if not _serving:
        return
    try:
        run(Path(config.site_dir), Path(config.config_file_path))
    except PostBuildError as exc:
        raise PluginError(str(exc)) from exc
