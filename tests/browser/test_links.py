"""Every internal link and anchor in the built HTML resolves.

A crawl of the built files, no browser needed: for every `href` and `src` on every
page that points into the site, the target file exists, and a `#fragment` names an
element id (or a named anchor) in the target page. The site is taken as served at
the path of `site_url`, so root-relative links (the 404 page uses them) are checked
against the same prefix.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.browser.conftest import site_path

LINK_ATTRIBUTES = {"href", "src"}
# Links that are not pages or files: other sites, mail, in-page scripts.
OTHER_SCHEMES = {"http", "https", "mailto", "tel", "javascript", "data"}


class _PageLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def parse(path: Path) -> _PageLinks:
    parser = _PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def target_file(site: Path, path: str) -> Path | None:
    """The file a static host serves for a path under the site root ("" is the
    home page; a directory serves its index.html)."""
    candidate = site / path
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path, prefix: str) -> list[str]:
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    problems = []
    for page, found in pages.items():
        page_path = prefix + page.relative_to(site).as_posix()
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme in OTHER_SCHEMES or parts.netloc:
                continue
            if not parts.path:  # "#fragment" on the same page
                target = page
            else:
                absolute = posixpath.normpath(
                    posixpath.join(posixpath.dirname(page_path), unquote(parts.path))
                )
                if not (absolute + "/").startswith(prefix):
                    problems.append(f"{page_path}: {link} leaves the site ({prefix})")
                    continue
                path = (absolute + "/").removeprefix(prefix).rstrip("/")
                target = target_file(site, path)
                if target is None:
                    problems.append(f"{page_path}: {link} -> no such file")
                    continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    problems.append(f"{page_path}: {link} -> no id {fragment!r}")
    return problems


def test_every_internal_link_and_anchor_resolves(built_site: Path) -> None:
    problems = broken_links(built_site, site_path())
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems)


def test_the_crawl_catches_a_missing_page_and_a_missing_anchor(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<h1 id="top">Home</h1><a href="a/#part">ok</a><a href="#top">ok</a>'
        '<a href="b/">missing page</a><a href="a/#nope">missing anchor</a>'
        '<a href="https://example.org/">other site</a>',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text(
        '<h2 id="part">Part</h2><a href="/roadmap/index.html#top">ok</a>'
        '<a href="/elsewhere/">outside</a>',
        encoding="utf-8",
    )
    problems = broken_links(site, "/roadmap/")
    assert problems == [
        "/roadmap/a/index.html: /elsewhere/ leaves the site (/roadmap/)",
        "/roadmap/index.html: b/ -> no such file",
        "/roadmap/index.html: a/#nope -> no id 'nope'",
    ]
