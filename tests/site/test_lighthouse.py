"""The pure parts of scripts/lighthouse.py: the stock baseline's mkdocs.yml, the
figures read from runs, and the budget against the baseline. (Lighthouse itself is a
benchmark, run by `make lighthouse`, not by the tests.)"""

from __future__ import annotations

from pathlib import Path

from scripts.lighthouse import (
    PageResult,
    Run,
    Summary,
    Tagged,
    dump_config,
    load_config,
    misses,
    site_pages,
    stock_config,
    summarise,
    verdict,
)

PROJECT = """\
site_name: Roadmap
site_url: https://example.org/roadmap/
repo_name: roadmap
theme:
  name: material
  custom_dir: overrides
  features:
    - content.code.copy
extra_css:
  - assets/stylesheets/extra.css
extra_javascript:
  - assets/javascripts/progress.js
markdown_extensions:
  - admonition
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - site_markdown.glossary
  - site_markdown.diagrams
  - site_markdown.results_table
  - site_markdown.permalinks
hooks:
  - hooks/llms_txt.py
plugins:
  - search
  - blog:
      blog_dir: changes
  - rss:
      match_path: changes/posts/.*
  - offline:
      enabled: !ENV [OFFLINE, false]
  - mkdocstrings:
      handlers:
        python:
          paths: ["."]
          options:
            show_source: true
nav:
  - index.md
not_in_nav: |
  /includes/
"""

STOCK = """\
site_name: Roadmap
site_url: https://example.org/roadmap/
docs_dir: /repo/docs
theme:
  name: material
  font: false
markdown_extensions:
- admonition
- toc:
    permalink: true
- pymdownx.superfences
- pymdownx.emoji:
    emoji_index: !!python/name:material.extensions.emoji.twemoji ''
- site_markdown.glossary:
    tooltips: false
- site_markdown.results_table
plugins:
- search
- blog:
    blog_dir: changes
- mkdocstrings:
    handlers:
      python:
        paths:
        - /repo
        options:
          show_source: true
nav:
- index.md
not_in_nav: '/includes/

  '
"""


def test_stock_config_keeps_the_pages_and_markdown_and_nothing_else() -> None:
    root = Path("/repo")
    config = stock_config(load_config(PROJECT), root)
    assert dump_config(config) == STOCK


def test_tags_the_safe_loader_does_not_build_are_kept() -> None:
    config = load_config(PROJECT)
    assert config["plugins"][3] == {
        "offline": {"enabled": Tagged("!ENV", ["OFFLINE", False])}
    }
    emoji = config["markdown_extensions"][3]["pymdownx.emoji"]
    assert emoji == {
        "emoji_index": Tagged(
            "tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", ""
        )
    }
    assert dump_config({"a": Tagged("!ENV", ["OFFLINE", False])}) == (
        "a: !ENV\n- OFFLINE\n- false\n"
    )


def run(performance: int, tbt: float, lcp: float, sent: int, dom: int) -> Run:
    return Run(performance, tbt, lcp, sent, dom, benchmark_index=1500.0)


def test_summary_takes_medians_and_the_mean_of_tbt() -> None:
    runs = [
        run(96, 100.0, 1800.0, 90_000, 500),
        run(99, 40.0, 1500.0, 90_100, 500),
        run(98, 70.0, 1600.0, 90_000, 500),
    ]
    assert summarise(runs) == Summary(
        performance=98,
        tbt_ms=70.0,
        lcp_ms=1600.0,
        transferred=90_000,
        dom_size=500,
        performance_runs=(96, 99, 98),
        tbt_runs=(100, 40, 70),
    )


def summary(performance: int, tbt: float, sent: int) -> Summary:
    return Summary(performance, tbt, 1500.0, sent, 500, (performance,), (round(tbt),))


def test_a_page_within_the_ratios_passes() -> None:
    # TBT exactly 1.2x, bytes exactly 1.3x, the same score: on budget.
    assert misses(summary(98, 120.0, 130_000), summary(98, 100.0, 100_000)) == []


def test_every_miss_is_named_with_both_figures() -> None:
    project = summary(95, 121.0, 130_100)
    stock = summary(98, 100.0, 100_000)
    assert misses(project, stock) == [
        "performance 95 < baseline 98",
        "mean TBT 121 ms > 1.2 x baseline's 100 ms",
        "127.1 KiB > 1.3 x baseline's 97.7 KiB",
    ]


def test_a_mean_tbt_under_50_ms_passes_whatever_the_baseline() -> None:
    assert misses(summary(100, 49.9, 1000), summary(100, 0.0, 1000)) == []
    assert misses(summary(100, 50.0, 1000), summary(100, 0.0, 1000)) == [
        "mean TBT 50 ms > 1.2 x baseline's 0 ms"
    ]
    assert misses(summary(100, 50.0, 1000), summary(100, 41.7, 1000)) == []


def result(project: Summary, stock: Summary, failures: list[str]) -> PageResult:
    return PageResult("page", project, stock, {}, 100, failures)


def test_the_verdict_marks_a_pass_by_the_floor() -> None:
    stock = summary(100, 10.0, 1000)
    assert verdict(result(summary(100, 12.0, 1000), stock, [])) == "yes"
    assert verdict(result(summary(100, 40.0, 1000), stock, [])) == "yes*"
    assert verdict(result(summary(99, 12.0, 1000), stock, ["miss"])) == "no"


def test_site_pages_lists_every_page_home_first(tmp_path: Path) -> None:
    for page in ["", "glossary/", "stages/05-x/", "stages/05-x/evals/", "a/"]:
        (tmp_path / page).mkdir(parents=True, exist_ok=True)
        (tmp_path / page / "index.html").write_text("<html></html>")
    (tmp_path / "404.html").write_text("<html></html>")
    assert site_pages(tmp_path) == [
        "",
        "a/",
        "glossary/",
        "stages/05-x/",
        "stages/05-x/evals/",
    ]
