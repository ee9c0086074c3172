"""What the post-build step knows about the site: mkdocs.yml, its nav and its pages.

Read without MkDocs, so the step runs the same after `zensical build`. mkdocs.yml is
loaded as YAML with the two tags it uses: `!ENV` (a variable with a fallback) and
`!!python/name:` (kept as the dotted name; the step never calls it). The nav becomes
`Section`, `Page` and `Link` items; each page carries its front matter and its
Markdown body, and its title is chosen as MkDocs chooses it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "mkdocs.yml"
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.S)
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
ATX_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
MARKDOWN_SUFFIXES = (".md", ".ipynb")


class PostBuildError(Exception):
    """A job of the post-build step cannot be done; the message says how to fix it."""


class SiteConfigError(PostBuildError):
    """mkdocs.yml or a page says something the step cannot build from."""


class _Loader(yaml.SafeLoader):
    """SafeLoader plus the tags mkdocs.yml uses."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    names = (
        [loader.construct_scalar(node)]
        if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node)
    )
    *variables, fallback = names if len(names) > 1 else [*names, None]
    for name in variables:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return fallback


def _python_name(loader: _Loader, suffix: str, node: yaml.Node) -> str:
    return suffix


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


@dataclass(frozen=True)
class Page:
    """One page of the nav, read from docs/."""

    src: str  # "stages/01-model-as-component.md", relative to docs/
    nav_title: str | None  # the title the nav gives it, if any
    meta: dict = field(default_factory=dict)  # front matter
    markdown: str = ""  # the body, front matter removed (for .md pages)
    notebook_title: str | None = None  # a notebook's first H1 (mkdocs-jupyter's title)

    @property
    def title(self) -> str:
        """The title MkDocs gives the page: a notebook's H1 (mkdocs-jupyter sets it
        at render time), the nav's, the front matter's, the first H1, "Home" for the
        home page, else the file name."""
        if self.notebook_title:
            return self.notebook_title
        if self.nav_title:
            return self.nav_title
        if self.meta.get("title"):
            return str(self.meta["title"])
        heading = first_h1(self.markdown)
        if heading:
            return heading
        if self.src == "index.md":
            return "Home"
        name = Path(self.src).stem.replace("-", " ").replace("_", " ")
        return name.capitalize() if name.lower() == name else name

    @property
    def description(self) -> str:
        return str(self.meta.get("description") or "")


@dataclass(frozen=True)
class Link:
    """A nav entry that points outside the docs."""

    title: str
    url: str


@dataclass(frozen=True)
class Section:
    title: str
    children: tuple[Page | Link | Section, ...]


NavItem = Page | Link | Section


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    data: dict

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def docs_dir(self) -> Path:
        return self.root / self.data.get("docs_dir", "docs")

    @property
    def site_name(self) -> str:
        return str(self.data["site_name"])

    @property
    def site_description(self) -> str:
        return str(self.data.get("site_description") or "")

    @property
    def site_url(self) -> str:
        return str(self.data.get("site_url") or "")

    def extension_options(self) -> dict[str, dict]:
        """`markdown_extensions` as {name: options}, in the file's order."""
        options: dict[str, dict] = {}
        for entry in self.data.get("markdown_extensions") or []:
            if isinstance(entry, str):
                options[entry] = {}
            else:
                ((name, value),) = entry.items()
                options[name] = dict(value or {})
        return options

    def plugin_options(self, name: str) -> dict | None:
        """A plugin's options from `plugins`, or None when it is not listed."""
        for entry in self.data.get("plugins") or []:
            if entry == name:
                return {}
            if isinstance(entry, dict) and name in entry:
                return dict(entry[name] or {})
        return None

    def nav(self) -> list[NavItem]:
        return [self._nav_item(item) for item in self.data.get("nav") or []]

    def _nav_item(self, item: Any) -> NavItem:
        if isinstance(item, str):
            return self._page_or_link(None, item)
        if isinstance(item, dict) and len(item) == 1:
            ((title, value),) = item.items()
            if isinstance(value, list):
                children = tuple(self._nav_item(child) for child in value)
                return Section(str(title), children)
            return self._page_or_link(str(title), str(value))
        raise SiteConfigError(f"{self.path.name}: unreadable nav entry {item!r}")

    def _page_or_link(self, title: str | None, target: str) -> Page | Link:
        if "://" in target or not target.endswith(MARKDOWN_SUFFIXES):
            return Link(title or target, target)
        return read_page(self.docs_dir, target, title)


def load(path: Path = CONFIG_FILE) -> SiteConfig:
    """mkdocs.yml, read as MkDocs reads it (environment variables resolved)."""
    with path.open(encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=_Loader)  # SafeLoader plus !ENV and python/name
    if not isinstance(data, dict) or "site_name" not in data:
        raise SiteConfigError(f"{path}: not a site configuration (no site_name)")
    return SiteConfig(path, data)


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """(front matter, body). Front matter that is not a YAML mapping stops the step:
    MkDocs would drop it without a word and Zensical refuses the page."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match[1] or "") or {}
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0]
        raise SiteConfigError(
            f"docs/{name}: the front matter is not valid YAML ({problem}); quote a "
            'value that holds ": ", e.g. description: "Cost: what it is"'
        ) from exc
    if not isinstance(meta, dict):
        raise SiteConfigError(f"docs/{name}: the front matter is not a mapping")
    return meta, text[match.end() :]


def read_page(docs_dir: Path, src: str, nav_title: str | None) -> Page:
    path = docs_dir / src
    if not path.is_file():
        raise SiteConfigError(f"the nav names docs/{src}, which does not exist")
    text = path.read_text(encoding="utf-8")
    if src.endswith(".ipynb"):
        return Page(src, nav_title, notebook_title=notebook_h1(text))
    meta, body = split_front_matter(text, src)
    return Page(src, nav_title, meta, body)


def first_h1(markdown: str) -> str | None:
    """The text of the first `# Heading` outside fenced code."""
    fence = ""
    for line in markdown.splitlines():
        opening = FENCE.match(line)
        if opening and (not fence or opening[1].startswith(fence)):
            fence = "" if fence else opening[1]
            continue
        heading = None if fence else ATX_H1.match(line)
        if heading:
            return heading[1].strip()
    return None


def notebook_h1(text: str) -> str | None:
    """The first H1 of a notebook's Markdown cells."""
    for cell in json.loads(text).get("cells", []):
        if cell.get("cell_type") == "markdown":
            heading = first_h1("".join(cell.get("source", [])))
            if heading:
                return heading
    return None


def pages(items: list[NavItem]) -> list[Page]:
    """Every page of the nav, in nav order."""
    found: list[Page] = []
    for item in items:
        if isinstance(item, Section):
            found += pages(list(item.children))
        elif isinstance(item, Page):
            found.append(item)
    return found
