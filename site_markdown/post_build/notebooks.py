"""Notebook pages for a generator that copies notebooks raw (Zensical 0.0.x).

Under MkDocs, the mkdocs-jupyter plugin renders docs/notebooks/*.ipynb into a page of
the site. Zensical runs no MkDocs plugin of that kind: it copies the .ipynb into the
site as a file and links the nav to it. For every notebook of the nav whose page is
missing, this step writes that page the way mkdocs-jupyter would:

- the body is mkdocs-jupyter's own `nb2html` with the options mkdocs.yml gives the
  plugin (so both builds show the same cells, outputs and styles);
- the page around it is the nearest built page of the nav at the same depth (the same
  header, theme and scripts), with its title, description, canonical URL, nav
  highlight, "On this page" list, previous/next links and content replaced, and its
  relative URLs rebased to the notebook's directory;
- every link to the raw .ipynb, on every page, then points at the page; the .ipynb
  moves next to the page (`include_source`), and the page joins search.json and
  sitemap.xml.
"""

from __future__ import annotations

import html as html_text
import json
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from site_markdown.post_build.built_site import (
    ARTICLE,
    URL_ATTRIBUTE,
    BuiltSite,
    BuiltSiteError,
    element_end,
    is_relative,
    rebase,
    resolve,
    split_url,
)
from site_markdown.post_build.site_config import (
    NavItem,
    Page,
    PostBuildError,
    Section,
    SiteConfig,
    pages,
)

PLUGIN = "mkdocs-jupyter"
# mkdocs-jupyter's defaults for its plugin options (its Plugin.config_scheme); nb2html's
# own defaults differ (a MathJax URL on a CDN, the light theme).
PLUGIN_DEFAULTS = {
    "execute": False,
    "kernel_name": "",
    "theme": "",
    "allow_errors": True,
    "show_input": True,
    "no_input": False,
    "no_prompt": False,
    "remove_tag_config": {},
    "highlight_extra_classes": "",
    "include_requirejs": False,
    "custom_mathjax_url": "",
}
HEADING = re.compile(
    r'<h(?P<level>[12]) id="(?P<id>[^"]+)">(?P<text>.*?)<a class="anchor-link"', re.S
)
PARAGRAPH = re.compile(r"<p>.*?</p>", re.S)
TAG = re.compile(r"<[^>]+>")
ACTIVE_LEAF = '<li class="md-nav__item md-nav__item--active">'
TOC_LIST = '<ul class="md-nav__list" data-md-component="toc"'
FOOTER_LINK = re.compile(
    r'<a href="[^"]*" class="md-footer__link md-footer__link--(?P<side>prev|next)" '
    r'aria-label="(?P<word>[A-Za-z]+): [^"]*">(?P<inner>.*?)</a>',
    re.S,
)
ELLIPSIS = re.compile(r'(<div class="md-ellipsis">).*?(</div>)', re.S)
SKIP_TARGET = '<a id="__skip" tabindex="-1"></a>'
HEAD_LINK = re.compile(r'<link rel="(?P<side>prev|next)" href="[^"]*">')


class NotebookError(PostBuildError):
    """A notebook page cannot be written."""


def write(site: BuiltSite, config: SiteConfig) -> list[str]:
    """Write the missing notebook pages; the docs paths of those it wrote."""
    options = config.plugin_options(PLUGIN)
    if options is None:
        return []
    nav = config.nav()
    order = pages(nav)
    written = []
    for index, page in enumerate(order):
        if not page.src.endswith(".ipynb") or site.file(page.src).is_file():
            continue
        raw = site.path / page.src
        if not raw.is_file():
            raise NotebookError(f"docs/{page.src} is in the nav but not in {site.path}")
        body = render_body(config.docs_dir / page.src, options)
        point_links_at_page(site, page.src, urlsplit(config.site_url).path or "/")
        previous = order[index - 1] if index > 0 else None
        following = order[index + 1] if index + 1 < len(order) else None
        shell = shell_page(site, order, page)
        target = site.file(page.src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            page_html(site, config, shell, page, body, previous, following),
            encoding="utf-8",
        )
        kept = target.parent / Path(page.src).name
        if options.get("include_source") and kept != raw:
            shutil.move(raw, kept)
        elif not options.get("include_source"):
            raw.unlink()
        add_to_search(site, page, body, section_path(nav, page))
        add_to_sitemap(site, config, page)
        written.append(page.src)
    return written


def render_body(path: Path, options: dict) -> str:
    """The notebook as mkdocs-jupyter renders it, with the site's plugin options."""
    from mkdocs_jupyter import convert  # nbconvert and its templates: a heavy import

    settings = {**PLUGIN_DEFAULTS, **options}
    return convert.nb2html(str(path), **{key: settings[key] for key in PLUGIN_DEFAULTS})


# ----------------------------------------------------------------- links


def point_links_at_page(site: BuiltSite, src: str, base: str) -> None:
    """Every page's links to the raw notebook file, pointed at its page instead:
    relative ones, and those from `base`, the site's path on its server ("/roadmap/",
    which 404.html uses)."""
    for path in site.path.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if posixpath.basename(src) not in text:
            continue
        here = posixpath.dirname(path.relative_to(site.path).as_posix())

        def to_page(match: re.Match[str], here: str = here) -> str:
            url = match[2]
            path, suffix = split_url(url)
            if path == base + src:
                return f"{match[1]}{base}{site.url(src)}{suffix}{match[3]}"
            if not is_relative(url) or resolve(here, url) != src:
                return match[0]
            return f"{match[1]}{site.href(here, src)}{suffix}{match[3]}"

        path.write_text(URL_ATTRIBUTE.sub(to_page, text), encoding="utf-8")


def page_dir(site: BuiltSite, src: str) -> str:
    """The site-root directory the page's HTML file sits in."""
    return posixpath.dirname(site.file(src).relative_to(site.path).as_posix())


def depth(site: BuiltSite, src: str) -> int:
    return len(site.file(src).relative_to(site.path).parts)


def shell_page(site: BuiltSite, order: list[Page], page: Page) -> Page:
    """The built page nearest to `page` in nav order whose file sits as deep, so
    that the scripts' root-relative base ("../..") holds for the notebook too."""
    index = order.index(page)
    by_distance = sorted(range(len(order)), key=lambda i: (abs(i - index), i > index))
    for i in by_distance:
        other = order[i]
        if (
            other is not page
            and depth(site, other.src) == depth(site, page.src)
            and site.file(other.src).is_file()
        ):
            return other
    raise NotebookError(f"no built page sits as deep as docs/{page.src}'s page")


# ----------------------------------------------------------------- the page


def page_html(
    site: BuiltSite,
    config: SiteConfig,
    shell: Page,
    page: Page,
    body: str,
    previous: Page | None,
    following: Page | None,
) -> str:
    """The shell page with the notebook's title, nav state, contents and body."""
    here = page_dir(site, page.src)
    html = rebase(site.html(shell.src), page_dir(site, shell.src), here)
    title = html_text.escape(page.title)
    html = re.sub(
        r"<title>.*?</title>",
        lambda _: f"<title>{title} - {html_text.escape(config.site_name)}</title>",
        html,
        count=1,
        flags=re.S,
    )
    description = html_text.escape(page.description or config.site_description)
    html = re.sub(
        r'<meta name="description" content="[^"]*">',
        lambda _: f'<meta name="description" content="{description}">',
        html,
        count=1,
    )
    if config.site_url:
        canonical = config.site_url.rstrip("/") + "/" + site.url(page.src)
        html = re.sub(
            r'<link rel="canonical" href="[^"]*">',
            lambda _: f'<link rel="canonical" href="{canonical}">',
            html,
            count=1,
        )
    html = re.sub(
        r'(<div class="md-header__topic" data-md-component="header-topic">\s*'
        r'<span class="md-ellipsis">).*?(</span>)',
        lambda m: f"{m[1]}{title}{m[2]}",
        html,
        count=1,
        flags=re.S,
    )
    html = nav_highlight(html, site, shell, page, here)
    html = table_of_contents(html, body)
    html = neighbours(html, site, here, previous, following)
    return ARTICLE.sub(
        lambda m: f"{m[1]}\n{skip_target(m[2])}{body}\n{m[3]}", html, count=1
    )


def skip_target(content: str) -> str:
    """The "skip to content" link's target, which Zensical puts in the article."""
    return SKIP_TARGET if SKIP_TARGET in content else ""


def nav_highlight(
    html: str, site: BuiltSite, shell: Page, page: Page, here: str
) -> str:
    """The shell's own nav entry made a plain link; the notebook's made current."""
    start = html.find(ACTIVE_LEAF)
    if start < 0:
        raise NotebookError(f"docs/{shell.src}'s page marks no nav entry as current")
    end = element_end(html, start, "li")
    leaf = html[start:end]
    label = re.search(
        r'md-nav__link--active">.*?<span class="md-ellipsis">(.*?)</span>', leaf, re.S
    )
    if not label:
        raise NotebookError(f"docs/{shell.src}'s current nav entry has no label")
    shell_url = site.href(here, shell.src)
    plain = (
        f'<li class="md-nav__item">\n<a href="{shell_url}" class="md-nav__link">\n'
        f'<span class="md-ellipsis">{label[1]}</span>\n</a>\n</li>'
    )
    html = html[:start] + plain + html[end:]
    self_url = site.href(here, page.src)
    current = re.compile(
        rf'<li class="md-nav__item">(\s*)<a href="{re.escape(self_url)}" '
        r'class="md-nav__link">'
    )
    html, count = current.subn(
        lambda m: (
            f'{ACTIVE_LEAF}{m[1]}<a href="{self_url}" '
            'class="md-nav__link md-nav__link--active">'
        ),
        html,
    )
    if count != 1:
        raise NotebookError(f"the nav links docs/{page.src} {count} times, not once")
    return html


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the notebook's H1 and H2 headings."""
    return [
        (int(m["level"]), m["id"], TAG.sub("", m["text"]).strip())
        for m in HEADING.finditer(body)
    ]


def table_of_contents(html: str, body: str) -> str:
    """The "On this page" list: the notebook's H2 headings, as Material lists a
    page's headings under its single H1."""
    start = html.find(TOC_LIST)
    if start < 0:
        return html
    end = element_end(html, start, "ul")
    items = "".join(
        f'<li class="md-nav__item">\n<a href="#{anchor}" class="md-nav__link">\n'
        f'<span class="md-ellipsis">{text}</span>\n</a>\n</li>\n'
        for level, anchor, text in headings(body)
        if level == 2
    )
    opening = html[start : html.index(">", start) + 1]
    return html[:start] + f"{opening}\n{items}</ul>" + html[end:]


def neighbours(
    html: str,
    site: BuiltSite,
    here: str,
    previous: Page | None,
    following: Page | None,
) -> str:
    """The footer's previous/next links and the head's rel=prev/next, for the
    notebook's place in the nav."""
    pages_by_side = {"prev": previous, "next": following}

    def href(other: Page) -> str:
        return site.href(here, other.src)

    def footer_link(match: re.Match[str]) -> str:
        other = pages_by_side[match["side"]]
        if other is None:
            return ""
        title = html_text.escape(other.title)
        inner = ELLIPSIS.sub(lambda m: f"{m[1]}\n{title}\n{m[2]}", match["inner"])
        return (
            f'<a href="{href(other)}" class="md-footer__link '
            f'md-footer__link--{match["side"]}" aria-label="{match["word"]}: {title}">'
            f"{inner}</a>"
        )

    def head_link(match: re.Match[str]) -> str:
        other = pages_by_side[match["side"]]
        if other is None:
            return ""
        return f'<link rel="{match["side"]}" href="{href(other)}">'

    return HEAD_LINK.sub(head_link, FOOTER_LINK.sub(footer_link, html))


# ----------------------------------------------------------------- search, sitemap


def section_path(items: list[NavItem], page: Page) -> list[str]:
    """The nav sections above the page, outermost first."""
    for item in items:
        if item is page:
            return []
        if isinstance(item, Section):
            inner = section_path(list(item.children), page)
            if inner or page in item.children:
                return [item.title, *inner]
    return []


def search_items(url: str, body: str, path: list[str], title: str) -> list[dict]:
    """One search entry for the page and one per H2 section, as Zensical's
    search.json lists a page: location, level, title, text (HTML), path, tags."""
    found = list(HEADING.finditer(body))
    entries = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        text = " ".join(PARAGRAPH.findall(body[match.end() : end]))
        level = int(match["level"])
        location = url if level == 1 else f"{url}#{match['id']}"
        heading = title if level == 1 else TAG.sub("", match["text"]).strip()
        entries.append(
            {
                "location": location,
                "level": level,
                "title": heading,
                "text": text,
                "path": [*path, title],
                "tags": [],
            }
        )
    return entries


def add_to_search(site: BuiltSite, page: Page, body: str, path: list[str]) -> None:
    index = site.path / "search.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    url = site.url(page.src)
    data["items"] = [
        item for item in data["items"] if split_url(item["location"])[0] != url
    ] + search_items(url, body, path, page.title)
    index.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def add_to_sitemap(site: BuiltSite, config: SiteConfig, page: Page) -> None:
    sitemap = site.path / "sitemap.xml"
    if not config.site_url or not sitemap.is_file():
        return
    loc = config.site_url.rstrip("/") + "/" + site.url(page.src)
    text = sitemap.read_text(encoding="utf-8")
    if f"<loc>{loc}</loc>" in text:
        return
    entry = f"      <url>\n        <loc>{loc}</loc>\n      </url>\n"
    if "</urlset>" not in text:
        raise BuiltSiteError(f"{sitemap} has no </urlset>")
    sitemap.write_text(text.replace("</urlset>", entry + "</urlset>"), encoding="utf-8")
