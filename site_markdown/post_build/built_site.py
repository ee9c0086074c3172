"""Where a page of docs/ landed in a built site, and how to reach it from another.

Both generators write `stages/x.md` to `stages/x/index.html` (directory URLs, the
served site) or to `stages/x.html` (the offline build). Which of the two a build used
is read from the build itself, so the step needs neither generator's settings.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from site_markdown.post_build.site_config import PostBuildError

ARTICLE = re.compile(
    r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S
)


class BuiltSiteError(PostBuildError):
    """The built site lacks something the step needs."""


def stem(src: str) -> str:
    """ "guides/index.md" -> "guides/index"; "notebooks/a.ipynb" -> "notebooks/a"."""
    return posixpath.splitext(src)[0]


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    directory_urls: bool

    @classmethod
    def read(cls, path: Path, sources: list[str]) -> BuiltSite:
        """The site in `path`; `sources` are docs-relative page paths (its nav)."""
        if not (path / "index.html").is_file():
            raise BuiltSiteError(f"{path} holds no built site (no index.html)")
        for src in sources:
            name = stem(src)
            if posixpath.basename(name) == "index":
                continue
            if (path / name / "index.html").is_file():
                return cls(path, True)
            if (path / f"{name}.html").is_file():
                return cls(path, False)
        raise BuiltSiteError(f"{path}: none of the nav's pages was built")

    def url(self, src: str) -> str:
        """The page's URL relative to the site root, as the generators write it:
        "" for the home page with directory URLs, "index.html" without."""
        name = stem(src)
        if not self.directory_urls:
            return f"{name}.html"
        if name == "index":
            return ""
        if posixpath.basename(name) == "index":
            return posixpath.dirname(name) + "/"
        return name + "/"

    def file(self, src: str) -> Path:
        """The HTML file of the page `src` (it may not exist yet)."""
        url = self.url(src)
        return self.path / (url + "index.html" if url.endswith("/") or not url else url)

    def html(self, src: str) -> str:
        path = self.file(src)
        if not path.is_file():
            raise BuiltSiteError(f"docs/{src} was not built: no {path}")
        return path.read_text(encoding="utf-8")

    def href(self, from_dir: str, src: str) -> str:
        """The URL of the page `src` from a page in the site-root directory
        `from_dir`: "../../guides/x/" (or "../guides/x.html" without directory
        URLs)."""
        url = self.url(src)
        if self.directory_urls:
            return relative(from_dir, url.rstrip("/") or ".", directory=True)
        return relative(from_dir, url, directory=False)

    def link(self, path: Path, target: str) -> str:
        """The relative URL from the HTML file `path` to `target`, a path from the
        site root: "../../assets/x.js" from stages/05-reliability/evals.html."""
        here = posixpath.dirname(path.relative_to(self.path).as_posix())
        return posixpath.relpath(target, here or ".")


def article(html: str) -> str:
    """The page content: what the theme puts inside its <article>."""
    match = ARTICLE.search(html)
    if not match:
        raise BuiltSiteError("the page has no <article class=md-content__inner>")
    return match[2]


# ----------------------------------------------------------------- relative URLs

URL_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_relative(url: str) -> bool:
    """A URL within the site, written relative to the page: not "#x", "/x",
    "https://...", "mailto:..." or "data:..."."""
    return bool(url) and not url.startswith(("#", "/")) and not SCHEME.match(url)


def split_url(url: str) -> tuple[str, str]:
    """("path", "?query#fragment")."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def resolve(page_dir: str, url: str) -> str:
    """The site-root path a relative URL on a page in `page_dir` points to:
    "guides/x" from ("stages/a", "../../guides/x/")."""
    path, _ = split_url(url)
    return posixpath.normpath(posixpath.join(page_dir, path))


def relative(page_dir: str, target: str, directory: bool) -> str:
    """The URL from a page in `page_dir` to the site-root path `target`."""
    url = posixpath.relpath(target, page_dir or ".")
    return url + "/" if directory and not url.endswith("/") else url


def rebase(html: str, from_dir: str, to_dir: str) -> str:
    """Every relative href and src of a page built for `from_dir`, rewritten to
    point at the same files from a page in `to_dir`."""

    def moved(match: re.Match[str]) -> str:
        url = match[2]
        if not is_relative(url):
            return match[0]
        path, suffix = split_url(url)
        target = resolve(from_dir, url)
        directory = path.endswith("/") or path in ("", ".")
        new = relative(to_dir, target, directory=directory)
        return f"{match[1]}{new}{suffix}{match[3]}"

    return URL_ATTRIBUTE.sub(moved, html)


def element_end(html: str, start: int, tag: str) -> int:
    """The index just past the element `<tag ...>` opening at `start`, counting
    nested elements of the same tag."""
    token = re.compile(rf"<(/?){tag}[\s>]")
    depth = 0
    for match in token.finditer(html, start):
        depth += -1 if match[1] else 1
        if depth == 0:
            return html.index(">", match.start()) + 1
    raise BuiltSiteError(f"<{tag}> at {start} is never closed")
