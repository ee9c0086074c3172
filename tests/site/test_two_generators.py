"""MkDocs and Zensical build the same site: the same checks pass on both outputs.

`built_site` is this run's `make build` (MkDocs + Material, then the post-build step),
`zensical_site` its `make build-zensical` (Zensical, then the same step). Each check
below runs on both. Where the two outputs may differ, the difference is listed in
ALLOWED_DIFFERENCES with its reason, and the comparison normalises exactly that.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_markdown.diagrams import FENCE_OPEN
from site_markdown.glossary import GLOSSARY_FILE, load_terms, tooltip_titles
from site_markdown.post_build.site_config import ROOT, load, pages

GENERATORS = ["built_site", "zensical_site"]
CONFIG = load(ROOT / "mkdocs.yml")
SITE_PATH = urlsplit(CONFIG.site_url).path  # "/roadmap/": 404.html links from it
OWN_HOST = urlsplit(CONFIG.site_url).netloc
ARTICLE = re.compile(
    r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S
)
URL = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
IDS = re.compile(r'\s(?:id|name)="([^"]*)"')
# Elements whose URL the browser fetches by itself when it loads the page.
REQUESTS = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\ssrc=\"(?P<src>[^\"]*)\""
    r"|<link\b(?=[^>]*\srel=\"(?:stylesheet|preload|modulepreload|icon|manifest)\")"
    r"[^>]*\shref=\"(?P<href>[^\"]*)\""
)

ALLOWED_DIFFERENCES = {
    "link spelling": (
        "Zensical writes a link to a parent page as ../../05-reliability/ where MkDocs "
        "writes ../, and a same-page link as ../stage1/#x where MkDocs writes #x; "
        "both reach the same file, so links are compared by where they resolve"
    ),
    "data-search-exclude": (
        "Zensical removes the attribute once it has left the element out of "
        "search.json, MkDocs leaves it in the page; both indexes leave the same "
        "parts out (test_both_search_indexes_leave_the_excluded_parts_out)"
    ),
    "skip-link target": (
        'Zensical puts its "skip to content" target, <a id="__skip">, inside the '
        "article; Material puts it outside"
    ),
    "the page around the article": (
        "the checks compare what a page says (its article), the llms files, the "
        "structured data and requests, not the theme around it: Zensical's nav and "
        "footer name the "
        "notebook by its nav title where mkdocs-jupyter uses the notebook's H1"
    ),
    "search box": (
        "overrides/partials/search.html gives MkDocs Material's search form and "
        "Zensical its own search button (its bundle draws the dialog in a shadow "
        "root), each with the classes its theme's stylesheets style "
        "(test_the_search_box_has_only_classes_its_stylesheets_style)"
    ),
    "files outside the pages": (
        "each generator writes its own search index (search/search_index.json vs "
        "search.json), theme bundles and copies of overrides/partials/*.js; the "
        "pages, llms.txt, llms-full.txt, and the URLs of sitemap.xml and the feeds are "
        "compared"
    ),
}


@pytest.fixture(params=GENERATORS)
def site(request) -> Path:
    """Each build in turn: the check runs once on MkDocs' output, once on Zensical's."""
    return request.getfixturevalue(request.param)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_of(site: Path, src: str) -> Path:
    stem = posixpath.splitext(src)[0]
    if stem == "index" or stem.endswith("/index"):
        return site / posixpath.dirname(stem) / "index.html"
    return site / stem / "index.html"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def resolved(url: str, here: str) -> str | None:
    """The site path a URL on a page in `here` points to ("guides/x/index.html"),
    or None for a URL outside the site."""
    path, _, _ = url.partition("#")
    path = unquote(path.split("?")[0])
    if path.startswith(SITE_PATH):
        target = path[len(SITE_PATH) :]
    elif path.startswith("/") or SCHEME.match(url):
        return None
    else:
        target = posixpath.normpath(posixpath.join(here, path)) if path else None
    return target


def comparable_article(site: Path, path: Path) -> str:
    """The page's content with the allowed differences normalised away."""
    match = ARTICLE.search(read(path))
    text = match[1] if match else ""
    text = text.replace('<a id="__skip" tabindex="-1"></a>', "")  # skip-link target
    text = text.replace(" data-search-exclude", "")  # data-search-exclude
    rel = path.relative_to(site).as_posix()
    here = posixpath.dirname(rel)
    page = here if rel.endswith("index.html") else rel

    def where(match: re.Match[str]) -> str:  # link spelling
        url = match[2]
        if url.startswith("#") or not url:
            return match[0]
        target = resolved(url, here)
        if target is None:
            return match[0]
        target = target.removesuffix("/index.html").removesuffix("index.html")
        fragment = url.partition("#")[2]
        if target.rstrip("/") == page.rstrip("/") and fragment:
            return f"{match[1]}#{fragment}{match[3]}"
        return f"{match[1]}/{target.rstrip('/')}#{fragment}{match[3]}"

    return " ".join(URL.sub(where, text).split())


# ----------------------------------------------------------------- the two compared


def test_both_builds_have_the_same_pages(built_site, zensical_site):
    mkdocs = [path.relative_to(built_site) for path in html_pages(built_site)]
    zensical = [path.relative_to(zensical_site) for path in html_pages(zensical_site)]
    assert mkdocs == zensical


def test_every_page_says_the_same_in_both(built_site, zensical_site):
    different = [
        path.relative_to(built_site).as_posix()
        for path in html_pages(built_site)
        if comparable_article(built_site, path)
        != comparable_article(
            zensical_site, zensical_site / path.relative_to(built_site)
        )
    ]
    assert different == []


@pytest.mark.parametrize("name", ["llms.txt", "llms-full.txt"])
def test_both_write_the_same_llms_files(built_site, zensical_site, name):
    assert read(zensical_site / name) == read(built_site / name)


def test_both_give_the_faq_the_same_structured_data(built_site, zensical_site):
    def data(site: Path) -> list:
        return re.findall(
            r'<script type="application/ld\+json">(.*?)</script>',
            read(site / "faq" / "index.html"),
            re.S,
        )

    assert data(zensical_site) == data(built_site)


@pytest.mark.parametrize(
    "name", ["sitemap.xml", "feed_rss_created.xml", "feed_rss_updated.xml"]
)
def test_the_sitemap_and_the_feeds_list_the_same_urls(built_site, zensical_site, name):
    def urls(site: Path) -> list[str]:
        return sorted(re.findall(r"<(?:loc|link)>(.*?)</", read(site / name)))

    assert urls(zensical_site) == urls(built_site)


def test_both_search_indexes_leave_the_excluded_parts_out(built_site, zensical_site):
    mkdocs = json.loads(read(built_site / "search" / "search_index.json"))["docs"]
    zensical = json.loads(read(zensical_site / "search.json"))["items"]
    for entries in (mkdocs, zensical):
        texts = " ".join(entry["text"] for entry in entries)
        assert "Source code in" not in texts  # mkdocstrings' listings
        assert "Used on:" not in texts  # the glossary's detail lines


# ----------------------------------------------------------------- each build


class ClassesInside(HTMLParser):
    """The md- classes of the element with data-md-component=NAME and its children."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component
        self.depth = 0  # open elements inside the component, 0 when outside
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if not self.depth and values.get("data-md-component") != self.component:
            return
        if tag not in {"input", "img", "br", "hr"}:  # void elements: no end tag
            self.depth += 1
        self.record(values)

    def handle_startendtag(self, tag: str, attrs: list) -> None:  # <path ... />
        if self.depth:
            self.record(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def record(self, attrs: dict) -> None:
        for name in (attrs.get("class") or "").split():
            if name.startswith("md-") and name not in self.classes:
                self.classes.append(name)


def test_the_search_box_has_only_classes_its_stylesheets_style(site):
    # Zensical 0.0.73 once drew Material's search form here: classes its own
    # stylesheets never name, so an unstyled input and icons filled the header.
    home = read(site / "index.html")
    found = ClassesInside("search")
    found.feed(home)
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]*)"', home)
    styled = set()
    for href in sheets:
        css = read(site / posixpath.normpath(href))
        styled |= set(re.findall(r"\.(md-[\w-]+)", css))
    assert found.classes[0] == "md-search"
    assert [name for name in found.classes if name not in styled] == []


def test_the_glossary_has_every_term_and_other_pages_have_tooltips(site):
    glossary = read(site / "glossary" / "index.html")
    terms = load_terms(ROOT / GLOSSARY_FILE)
    assert re.findall(r'<h3 id="([^"]+)"', glossary) == [
        term.anchor for term in sorted(terms, key=lambda term: term.term.casefold())
    ]
    assert "<abbr title=" not in glossary
    assert "data-used-on" not in glossary
    stage_1 = read(site / "stages" / "01-model-as-component" / "index.html")
    token = html.escape(tooltip_titles(terms)["token"])
    assert f'<abbr title="{token}">token</abbr>' in stage_1


def test_diagrams_are_inline_svg_and_no_page_loads_mermaid(site):
    for page in pages(CONFIG.nav()):
        if not page.src.endswith(".md"):
            continue
        blocks = sum(
            bool(FENCE_OPEN.match(line)) for line in page.markdown.splitlines()
        )
        text = read(page_of(site, page.src))
        assert text.count('<figure class="diagram"><svg') == blocks, page.src
    for path in html_pages(site):
        text = read(path)
        assert 'class="mermaid"' not in text, path
        assert not re.search(r"<script[^>]*src=\"[^\"]*mermaid", text), path


def test_generated_tables_replace_their_markers(site):
    for path in html_pages(site):
        text = read(path)
        for marker in (
            "<!-- results-table",
            "<!-- behaviour-table",
            "<!-- conformance-summary",
            "<!-- lifecycle-table",
            "<!-- glossary -->",
        ):
            assert marker not in text, f"{path}: {marker}"
    retrieval = read(site / "stages" / "03-retrieval" / "index.html")
    assert retrieval.count("<table>") == 12
    tested = read(site / "contributing" / "how-examples-are-tested" / "index.html")
    assert tested.count("<table>") == 3


def test_llms_txt_lists_every_page_of_the_nav_at_its_built_url(site):
    listed = re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", read(site / "llms.txt"), re.M)
    urls = [url.removeprefix(CONFIG.site_url) for url in listed]
    assert urls[-1] == "llms-full.txt"
    for url in urls[:-1]:
        assert (site / url / "index.html").is_file(), url


def test_checklist_items_have_ids_and_the_home_page_counts_them(site):
    home = read(site / "index.html")
    totals = dict(re.findall(r'data-stage="(\d)" data-total="(\d+)"', home))
    assert sorted(totals) == ["1", "2", "3", "4", "5", "6"]
    for stage, total in totals.items():
        (page,) = (site / "stages").glob(f"0{stage}-*/index.html")
        ids = re.findall(r'data-progress-id="([^"]+)"', read(page))
        assert len(ids) == int(total) > 0
        assert len(set(ids)) == len(ids)
    assert '<script type="application/json" id="progress-index">' in home


def test_no_page_asks_another_host_for_anything(site):
    found = {
        (path.relative_to(site).as_posix(), url)
        for path in html_pages(site)
        for match in REQUESTS.finditer(read(path))
        if (url := match["src"] or match["href"])
        and re.match(r"^(?:https?:)?//", url)
        and urlsplit(url).netloc != OWN_HOST
    }
    assert found == set()


def test_every_internal_link_resolves(site):
    ids: dict[Path, set[str]] = {}
    broken = []
    for path in html_pages(site):
        here = posixpath.dirname(path.relative_to(site).as_posix())
        for _, url, _ in URL.findall(read(path)):
            if not url or SCHEME.match(url) or url.startswith("//"):
                continue
            target_path = path if url.startswith("#") else None
            if target_path is None:
                target = resolved(url, here)
                if target is None:
                    broken.append((path.relative_to(site).as_posix(), url))
                    continue
                target_path = site / target
                if target_path.is_dir():
                    target_path = target_path / "index.html"
            if not target_path.exists():
                broken.append((path.relative_to(site).as_posix(), url))
                continue
            fragment = unquote(url.partition("#")[2])
            if fragment and target_path.suffix == ".html":
                if target_path not in ids:
                    ids[target_path] = set(IDS.findall(read(target_path)))
                if fragment not in ids[target_path]:
                    broken.append((path.relative_to(site).as_posix(), url))
    assert broken == []


def test_the_notebook_is_a_page_with_its_source_next_to_it(site):
    page = read(site / "notebooks" / "stage3-pipeline" / "index.html")
    assert (
        "<title>The Stage 3 pipeline, step by step - AI Engineer Roadmap</title>"
        in (page)
    )
    assert '<div class="jupyter-wrapper">' in page
    assert (site / "notebooks" / "stage3-pipeline" / "stage3-pipeline.ipynb").is_file()
    assert not (site / "notebooks" / "stage3-pipeline.ipynb").exists()
