"""The fact marker: Markdown in, HTML out; bad markers stop the build; the report."""

import datetime as dt
from pathlib import Path

import markdown
import pytest

from scripts import facts as report
from site_markdown import fact_scan, facts
from site_markdown.post_build.llms_txt import full_markdown
from site_markdown.post_build.site_config import Page, SiteConfig

ROOT = Path(__file__).resolve().parents[2]
SOURCES = """\
pricing:
  title: pricing page
  url: https://platform.claude.com/docs/en/about-claude/pricing
vision:
  title: images and vision docs
  url: https://platform.claude.com/docs/en/build-with-claude/vision
"""
PRICING = (
    '<span class="fact">(<a href="https://platform.claude.com/docs/en/about-claude/'
    'pricing">pricing page, checked 2026-12-02</a>)</span>'
)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A working directory with a registry and one page, as mkdocs.yml sees them."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.yml").write_text(SOURCES)
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render(text: str, *extensions: str) -> str:
    md = markdown.Markdown(
        extensions=["site_markdown.facts", *extensions],
        extension_configs={"site_markdown.facts": {"today": "2026-12-02"}},
    )
    return md.convert(text)


def test_a_marker_renders_as_a_small_dated_source_link(site):
    html = render("It costs $2 per million input tokens [[pricing 2026-12-02]].")
    assert html == f"<p>It costs $2 per million input tokens {PRICING}.</p>"


def test_two_markers_in_a_row_are_two_links(site):
    html = render("Both [[pricing 2026-12-02]] [[vision 2026-11-25]].")
    vision = (
        '<span class="fact">(<a href="https://platform.claude.com/docs/en/'
        'build-with-claude/vision">images and vision docs, checked 2026-11-25</a>)'
        "</span>"
    )
    assert html == f"<p>Both {PRICING} {vision}.</p>"


def test_the_link_has_no_title_attribute_and_abbreviations_stay_out(site):
    text = "Read the pricing page [[pricing 2026-12-02]].\n\n*[pricing page]: Prices."
    html = render(text, "abbr")
    assert html == (
        '<p>Read the <abbr title="Prices.">pricing page</abbr> ' + PRICING + ".</p>"
    )


def test_code_and_fenced_code_keep_the_marker_as_text(site):
    text = "`[[nope 2026-12-02]]`\n\n```text\n[[nope 2026-12-02]]\n```\n"
    html = render(text, "pymdownx.superfences")
    assert html == (
        "<p><code>[[nope 2026-12-02]]</code></p>\n"
        '<div class="highlight"><pre><span></span><code>[[nope 2026-12-02]]\n'
        "</code></pre></div>"
    )


def test_included_code_keeps_the_marker_as_text(site):
    (site / "notes.txt").write_text("# --8<-- [start:x]\n[[nope 2026-12-02]]\n")
    text = '```text\n--8<-- "notes.txt:x"\n```\n'
    md = markdown.Markdown(
        extensions=["site_markdown.facts", "pymdownx.snippets", "pymdownx.superfences"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(site)]}},
    )
    assert md.convert(text) == (
        '<div class="highlight"><pre><span></span><code>[[nope 2026-12-02]]\n'
        "</code></pre></div>"
    )


def test_raw_html_keeps_its_text(site):
    html = render('<div markdown="0">[[nope 2026-12-02]]</div>')
    assert html == '<div markdown="0">[[nope 2026-12-02]]</div>'


@pytest.mark.parametrize(
    ("marker", "problem"),
    [
        (
            "[[nope 2026-12-02]]",
            'the source id "nope" is not in data/sources.yml; fix: use one of its '
            "ids or add an entry with a title and url",
        ),
        (
            "[[pricing 2026-13-02]]",
            'the date "2026-13-02" is not a real day; fix: correct the month or day',
        ),
        (
            "[[pricing 2 December 2026]]",
            "a marker is a source id and a date separated by one space; "
            "fix: write it as [[source-id YYYY-MM-DD]]",
        ),
        (
            "[[pricing]]",
            "a marker is a source id and a date separated by one space; "
            "fix: write it as [[source-id YYYY-MM-DD]]",
        ),
        (
            "[[pricing 26-12-02]]",
            'the date "26-12-02" is not YYYY-MM-DD; fix: write the day you read '
            "the source, e.g. 2026-12-02",
        ),
        (
            "[[pricing 2026-12-03]]",
            'the date "2026-12-03" is in the future; fix: write the day you read '
            "the source",
        ),
    ],
)
def test_a_bad_marker_stops_the_build_naming_page_line_and_fix(site, marker, problem):
    page = site / "docs" / "stages" / "x.md"
    page.parent.mkdir()
    page.write_text(f"# X\n\nFirst line.\nIt costs $2 {marker}.\n")
    with pytest.raises(facts.FactError) as error:
        render(page.read_text())
    assert str(error.value) == f"docs/stages/x.md:4: fact marker {marker}: {problem}"


def test_a_bad_marker_outside_docs_names_the_page_being_built(site):
    with pytest.raises(facts.FactError) as error:
        render("From a docstring [[nope 2026-12-02]].")
    assert str(error.value).startswith("the page being built: fact marker [[nope")


def test_brackets_that_are_not_a_marker_attempt_are_left_alone(site):
    assert render("A list of lists, x[[1, 2]], and [[ spaced ]].") == (
        "<p>A list of lists, x[[1, 2]], and [[ spaced ]].</p>"
    )


@pytest.mark.parametrize(
    ("registry", "problem"),
    [
        ("pricing: {title: pricing page}\n", "give exactly `title` and `url`"),
        ("pricing: {title: p, url: 'http://x'}\n", "`url` must be an https:// address"),
        ("Pricing: {title: p, url: 'https://x'}\n", "ids are lowercase words"),
        ("pricing: {title: '', url: 'https://x'}\n", "`title` must be a short text"),
    ],
)
def test_a_bad_registry_entry_is_named(tmp_path, registry, problem):
    path = tmp_path / "sources.yml"
    path.write_text(registry)
    with pytest.raises(facts.FactError, match=problem):
        facts.load_sources(path)


def test_the_site_registry_loads_and_every_url_is_https():
    sources = facts.load_sources(ROOT / facts.SOURCES_FILE)
    assert sources["pricing"] == facts.Source(
        "pricing page", "https://platform.claude.com/docs/en/about-claude/pricing"
    )


def test_llms_full_txt_gets_markers_as_markdown_links(site):
    config = SiteConfig(
        site / "mkdocs.yml",
        {"site_name": "Roadmap", "markdown_extensions": ["site_markdown.facts"]},
    )
    page = Page("costs.md", None, markdown="Costs $2 [[pricing 2026-12-02]].")
    assert full_markdown(page, config) == (
        "Costs $2 ([pricing page](https://platform.claude.com/docs/en/about-claude/"
        "pricing), checked 2026-12-02).\n"
    )


# ------------------------------------------------------------------ the scanner

PAGE = """\
---
title: A page
---

Sonnet 5.5 costs $2 per million input tokens [[pricing 2026-12-02]].

The window holds a million tokens.
<!-- results-table data/x.json#t -->

```python
price = "$9 per million tokens"
```

!!! note "Output from the local API double"
    The double's window is 64k tokens.

    Its price is $3 per million tokens.

- The default lifetime is 5 minutes.
- Our own default of 2,048 tokens <!-- not-a-fact: this example's setting -->.
"""


def test_the_scanner_finds_markers_and_unmarked_changing_statements():
    units = fact_scan.units(PAGE, "docs/p.md")
    marked = [m for u in units for m in fact_scan.markers(u)]
    found = [
        str(f).split(" with no source")[0] for u in units for f in fact_scan.findings(u)
    ]
    assert [(m.line, m.source_id, m.date, m.statement) for m in marked] == [
        (5, "pricing", "2026-12-02", "Sonnet 5.5 costs $2 per million input tokens")
    ]
    assert found == [
        'docs/p.md:7: a limit ("a million tokens")',
        'docs/p.md:17: a price ("$3 per million")',
        'docs/p.md:19: a default ("default")',
    ]


def test_a_finding_says_how_to_fix_it():
    unit = fact_scan.units("Opus 5.5 costs $4 / MTok.\n", "docs/p.md")[0]
    assert [str(f) for f in fact_scan.findings(unit)] == [
        'docs/p.md:1: a price ("$4 / MTok") with no source: add '
        "[[source-id YYYY-MM-DD]] after the statement (ids in data/sources.yml), or "
        "<!-- not-a-fact: reason --> if it is not a fact from outside this project"
    ]


@pytest.mark.parametrize(
    ("text", "category", "matched"),
    [
        (
            "Prices are $10 and $50 per million tokens.",
            "price",
            "$10 and $50 per million",
        ),
        ("It lists $10 / $50 for Fable.", "price", "$10 / $50"),
        ("A 200k-token window.", "limit", "200k-token"),
        ("Requests may be 32 MB.", "limit", "32 MB"),
        ("Images over 1568 pixels shrink.", "limit", "1568 pixels"),
        ("The minimum is 1,024 tokens.", "limit", "1,024 tokens"),
        ("Tested on anthropic 2.15 only.", "version", "anthropic 2.15"),
        ("It ships PostgreSQL 18 now.", "version", "PostgreSQL 18"),
        ("Effort defaults to high.", "default", "defaults"),
        ("Opus 5.5 is the top model.", "model lineup claim", "top"),
        ("The tool is in beta.", "status", "beta"),
        ("It is in maintenance\nmode.", "status", "maintenance mode"),
    ],
)
def test_each_changing_category_is_detected(text, category, matched):
    unit = fact_scan.units(text + "\n", "docs/p.md")[0]
    assert [(f.category, f.matched) for f in fact_scan.findings(unit)] == [
        (category, matched)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Stage 5 measures the default.",
        "The 5.5 models think.",
        "A reply of 300 tokens.",
        "400. On Opus the notes arrive as thinking.",
        "Claude Sonnet 5.5 writes clearly.",
    ],
)
def test_ordinary_sentences_are_not_findings(text):
    unit = fact_scan.units(text + "\n", "docs/p.md")[0]
    assert fact_scan.findings(unit) == []


def test_dated_posts_are_exempt(tmp_path):
    posts = tmp_path / "docs" / "changes" / "posts"
    posts.mkdir(parents=True)
    (posts / "2026-12-01-post.md").write_text("It costs $2 per million tokens.\n")
    (tmp_path / "docs" / "page.md").write_text("It costs $2 per million tokens.\n")
    _, found = fact_scan.scan(tmp_path / "docs", tmp_path)
    assert [f"{f.path}:{f.line}" for f in found] == ["docs/page.md:1"]


GLOSSARY = """\
# A comment before the first entry: 40 by default.
- term: TTL
  definition: >-
    How long a cache entry lasts. Entries last
    five minutes by default.
  checked: "[[pricing 2026-11-25]]"
  stage: 2

- term: ef_search
  definition: Candidates kept at query time, 40 by default.
  stage: 3

- term: Chunk
  definition: A piece of a document, 400 tokens at most here.
  not_a_fact: this site's own setting
  stage: 3

- term: Effort
  checked: >-
    [[pricing 2026-12-01]]
    [[vision 2026-12-02]]
  definition: Its default is high on Sonnet 5.5.
  stage: 1

- term: Token
  definition: >-
    The unit a model reads and writes.
  stage: 1
"""


def test_the_glossary_is_scanned_one_definition_at_a_time(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "glossary.yml").write_text(GLOSSARY)
    marked, found = fact_scan.scan(tmp_path / "docs", tmp_path)
    assert [(m.path, m.line, m.source_id, m.statement) for m in marked] == [
        ("glossary.yml", 6, "pricing", "Entries last five minutes by default."),
        ("glossary.yml", 20, "pricing", "Its default is high on Sonnet 5.5."),
        ("glossary.yml", 21, "vision", "Its default is high on Sonnet 5.5."),
    ]
    assert [str(f) for f in found] == [
        'glossary.yml:10: a default ("by default") with no source: add the field '
        'checked: "[[source-id YYYY-MM-DD]]" to the entry (ids in data/sources.yml), '
        "or not_a_fact: reason if it is not a fact from outside this project"
    ]


def test_a_comment_in_the_glossary_is_no_marker(tmp_path):
    (tmp_path / "docs").mkdir()
    text = (
        "- term: TTL\n  definition: Five minutes by default.\n"
        "  # [[pricing 2026-11-25]]\n"
    )
    (tmp_path / "glossary.yml").write_text(text)
    marked, found = fact_scan.scan(tmp_path / "docs", tmp_path)
    assert (marked, [f"{f.path}:{f.line}" for f in found]) == ([], ["glossary.yml:2"])


def test_glossary_exemptions_are_listed_with_their_reasons():
    assert fact_scan.glossary_exemptions(GLOSSARY) == [(15, "this site's own setting")]


@pytest.mark.parametrize(
    ("text", "category", "matched"),
    [
        ("Removed in API version 2026-10-21.", "version", "version 2026-10-21"),
        ("Its default is high on Sonnet.", "default", "default"),
        ("Entries last five minutes by default.", "default", "by default"),
    ],
)
def test_glossary_wording_of_changing_facts_is_detected(text, category, matched):
    unit = fact_scan.units(text + "\n", "docs/p.md")[0]
    assert [(f.category, f.matched) for f in fact_scan.findings(unit)] == [
        (category, matched)
    ]


# ------------------------------------------------------------------ the report


def entry(checked: str, where: str) -> report.Entry:
    return report.Entry(
        dt.date.fromisoformat(checked),
        "pricing",
        "https://x",
        where,
        "It costs $2 a lot",
    )


def test_the_report_lists_oldest_first_and_flags_the_stale():
    entries = [entry("2026-08-01", "docs/a.md:3"), entry("2026-12-01", "docs/b.md:9")]
    assert report.report(entries, dt.date(2026, 12, 2)) == (
        "2 dated facts, oldest first, as of 2026-12-02; STALE: read more than 90 "
        "days ago.\n"
        "\n"
        "STALE  123d  2026-08-01  pricing  docs/a.md:3  'It costs $2 a lot'  https://x\n"
        "         1d  2026-12-01  pricing  docs/b.md:9  'It costs $2 a lot'  https://x\n"
        "\n"
        "1 stale of 2.\n"
        "Read each stale source again, correct the statement, then update its date.\n"
    )


def test_the_site_report_covers_pages_glossary_behaviour_and_price_tables(capsys):
    assert report.main(["--today", "2026-12-02"]) == 0
    out = capsys.readouterr().out
    entries = report.collect()
    assert out.splitlines()[0] == (
        f"{len(entries)} dated facts, oldest first, as of 2026-12-02; STALE: read "
        "more than 90 days ago."
    )
    kinds = {e.where.split(":")[0].split("/")[0] for e in entries}
    assert kinds == {"docs", "glossary.yml", "tests", "snippets"}
    assert [e.checked for e in entries] == sorted(e.checked for e in entries)
