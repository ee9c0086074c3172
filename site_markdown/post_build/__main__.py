"""`python -m site_markdown.post_build SITE_DIR`: the site-wide jobs on a built site."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from site_markdown.glossary_source import GlossaryError
from site_markdown.page import SiteError
from site_markdown.post_build import run
from site_markdown.post_build.site_config import CONFIG_FILE, PostBuildError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_markdown.post_build")
    parser.add_argument("site_dir", type=Path, help="the directory a generator built")
    parser.add_argument("--config", type=Path, default=CONFIG_FILE, help="mkdocs.yml")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        done = run(args.site_dir, args.config)
    except (PostBuildError, SiteError, GlossaryError) as exc:  # each says the fix
        print(f"post-build: {exc}", file=sys.stderr)
        return 1
    for line in done:
        print(f"post-build: {line}")
    print(f"post-build: {args.site_dir} done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
