"""The "What changed" section: dated posts, a list page and an RSS feed.

Material's blog plugin builds docs/changes/ (posts in docs/changes/posts/) and
mkdocs-rss-plugin writes feed_rss_created.xml from the posts' front-matter dates
(mkdocs.yml). Readers link to a post's three sections, so every post keeps the same
H2 headings. The first checks read the post sources and need no build; the rest read
the session's strict build (`built_site`).
"""

import datetime
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
POSTS = ROOT / "docs" / "changes" / "posts"
FEED = "feed_rss_created.xml"
HEADINGS = ("What changed", "What it broke", "What we changed")
HEADING_IDS = ("what-changed", "what-it-broke", "what-we-changed")
# The section as a reader gets it, newest first: (title, date, URL under site_url).
# A new post adds its line here.
EXPECTED_POSTS = [
    (
        "The Claude 5.5 models think before they answer",
        "2026-12-01",
        "changes/2026/12/01/claude-5-5-defaults/",
    ),
    (
        "Claude Sonnet 4.5 is retired",
        "2026-11-30",
        "changes/2026/11/30/sonnet-4-5-retired/",
    ),
    (
        "API version 2026-10-21 drops the sampling parameters",
        "2026-10-21",
        "changes/2026/10/21/api-version-2026-10-21/",
    ),
]

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
H2 = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")


# ----------------------------------------------------------------- post sources


def post_problems(path: Path) -> list[str]:
    """One message per missing field of a post, naming the file: its front-matter
    `date` (which the list and the feed read) and each H2 of HEADINGS."""
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    meta = (yaml.safe_load(match[1] or "") if match else None) or {}
    problems = []
    if "date" not in meta:
        problems.append(f"{name}: front matter has no `date` (date: YYYY-MM-DD)")
    elif not isinstance(meta["date"], datetime.date):
        problems.append(
            f"{name}: front matter `date` is {meta['date']!r}, not a YYYY-MM-DD "
            "date; the list and the feed date the post by it"
        )
    headings = h2_headings(text[match.end() :] if match else text)
    every = ", ".join(f'"{heading}"' for heading in HEADINGS)
    problems += [
        f'{name}: no "## {heading}" heading; every post has {every}'
        for heading in HEADINGS
        if heading not in headings
    ]
    return problems


def h2_headings(markdown: str) -> list[str]:
    """The H2 headings of a Markdown text, fenced code left out."""
    headings, fence = [], None
    for line in markdown.splitlines():
        opening = FENCE.match(line)
        if opening:
            marker = opening[1]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is None and (heading := H2.match(line)):
            headings.append(heading[1])
    return headings


def test_every_post_has_a_date_and_the_three_headings():
    posts = sorted(POSTS.glob("*.md"))
    assert posts, f"{POSTS.relative_to(ROOT)} has no posts"
    problems = [problem for post in posts for problem in post_problems(post)]
    assert not problems, "Posts missing a field:\n" + "\n".join(problems)


def test_a_post_without_date_or_a_heading_is_named_with_the_field(tmp_path):
    post = tmp_path / "2026-01-01-x.md"
    post.write_text(
        "---\nslug: x\n---\n\n# X\n\n## What changed\n\n```md\n## What it broke\n```\n"
    )
    assert post_problems(post) == [
        f"{post}: front matter has no `date` (date: YYYY-MM-DD)",
        f'{post}: no "## What it broke" heading; every post has '
        '"What changed", "What it broke", "What we changed"',
        f'{post}: no "## What we changed" heading; every post has '
        '"What changed", "What it broke", "What we changed"',
    ]
    post.write_text(
        "---\ndate: 1 December\n---\n" + "".join(f"## {h}\n" for h in HEADINGS)
    )
    (problem,) = post_problems(post)
    assert "`date` is '1 December', not a YYYY-MM-DD date" in problem


# ----------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def site_url() -> str:
    match = re.search(r"^site_url:[ \t]*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert match, "mkdocs.yml has no site_url; the feed needs absolute URLs"
    return match[1]


@pytest.fixture(scope="module")
def feed(built_site: Path) -> ET.Element:
    path = built_site / FEED
    assert path.is_file(), (
        f"the build wrote no {FEED}; see the rss plugin in mkdocs.yml"
    )
    return ET.fromstring(path.read_bytes())  # raises if it is not well-formed XML


def html(built_site: Path, url: str) -> BeautifulSoup:
    page = built_site / url / "index.html"
    assert page.is_file(), f"the build wrote no {url}"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_the_feed_lists_the_posts_newest_first_with_titles_and_dates(feed, site_url):
    items = [
        (
            item.findtext("title"),
            parsedate_to_datetime(item.findtext("pubDate")).date().isoformat(),
            item.findtext("link"),
        )
        for item in feed.iter("item")
    ]
    assert items == [
        (title, date, site_url + url) for title, date, url in EXPECTED_POSTS
    ]


def test_the_feed_links_only_to_files_the_site_serves(feed, built_site, site_url):
    links = [item.findtext("link") for item in feed.iter("item")]
    # mkdocs.yml sets `image`: left unset, the rss plugin writes <url>None</url>.
    links.append(feed.findtext("channel/image/url", "(no channel image)"))
    for link in links:
        assert link.startswith(site_url), f"{FEED}: {link} is not under {site_url}"
        target = built_site / link.removeprefix(site_url)
        assert target.is_file() or (target / "index.html").is_file(), link


def test_the_feed_is_linked_from_the_text_not_from_every_head(built_site, site_url):
    # A rel=alternate link makes Material fetch sitemap.xml on every page
    # (overrides/main.html removes them).
    for url in ("", "changes", "stages/01-model-as-component"):
        page = html(built_site, url)
        assert not page.select('link[type="application/rss+xml"]'), url
    links = [
        a["href"]
        for a in html(built_site, "changes").select(".md-content a")
        if a["href"].endswith("feed_rss_created.xml")
    ]
    assert links == ["../feed_rss_created.xml"]
    assert (built_site / "feed_rss_created.xml").is_file()


@pytest.mark.parametrize(("title", "date", "url"), EXPECTED_POSTS)
def test_each_post_has_its_title_date_and_the_three_headings(
    built_site, title, date, url
):
    page = html(built_site, url)
    article = page.select_one("article")
    h1 = article.select_one("h1")
    h1.select_one("a.headerlink").decompose()
    assert h1.get_text(strip=True) == title
    assert page.select_one(".md-sidebar--post time")["datetime"].startswith(date)
    headings = article.select("h2")
    assert [h2["id"] for h2 in headings] == list(HEADING_IDS)
    for h2 in headings:
        h2.select_one("a.headerlink").decompose()
    assert [h2.get_text(strip=True) for h2 in headings] == list(HEADINGS)


def test_the_index_links_to_each_post(built_site, site_url):
    page = html(built_site, "changes")
    links = {
        urljoin(site_url + "changes/", link["href"])
        for link in page.select("article.md-post a[href]")
    }
    for _title, _date, url in EXPECTED_POSTS:
        assert site_url + url in links, f"changes/ has no link to {url}"
