"""Lighthouse, side by side with stock Material: `make lighthouse` runs this.

Builds two sites from the same Markdown, in the same run: this project's (strict) and
a stock baseline, Material with its defaults (`stock_config` says exactly what it
keeps). Serves both on 127.0.0.1 the same way, as a static host would (gzip for
text, a short cache lifetime), and runs Lighthouse 13 with Debian's Chromium on every
page of both (or the pages given with --page PATH): Lighthouse's default mobile
profile with simulated throttling (or its desktop preset with --desktop).

Runs are interleaved, project and baseline alternately on the same page, each first
every other time, so that both see the same machine: absolute scores on a shared
2-core machine move with whatever else runs. Each page is audited --runs times
(default 3) on each site. Prints, per page, both sites' performance score (median),
total blocking time (mean), largest contentful paint (median), bytes transferred and
DOM elements, with the project/baseline ratio of each; the project's other four
categories and its accessibility in the dark palette (run once); then the machine's
load average and Lighthouse's CPU benchmark index over the runs, to judge the noise.

The budget, per page: performance at least the baseline's (so at least 98 where the
baseline reaches 98), mean TBT at most 1.2 times the baseline's or under 50 ms (see
under_tbt_floor; such pages show "yes*"), bytes at most 1.3 times the baseline's, and
100 in the four other categories in both palettes. Every miss is listed with the
failing audits. Exits 1 on a miss, 2 when a tool is missing. JSON reports are kept
in .cache/lighthouse/reports/ for a closer look. Every page, three runs: about an
hour on a 2-core machine; `--page PATH --runs 1`: two minutes.

Lighthouse comes from the npm registry into .cache/lighthouse (installed on first use);
CHROME_PATH defaults to /usr/bin/chromium (`apt-get install chromium` on Debian).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import yaml

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "lighthouse"
REPORTS = CACHE / "reports"
LIGHTHOUSE = CACHE / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_PACKAGE = "lighthouse@13"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
DARK_FLAGS = "--force-dark-mode --blink-settings=preferredColorScheme=0"

CATEGORY_BUDGET = {  # category id: minimum score out of 100, on the project's pages
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "agentic-browsing": 100,
}
COLUMNS = {
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "seo",
    "agentic-browsing": "agent",
}
TBT_RATIO = 1.2  # project's mean TBT at most this times the baseline's ...
TBT_FLOOR_MS = 50  # ... or under this: see under_tbt_floor
BYTES_RATIO = 1.3  # project's bytes transferred at most this times the baseline's
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg")


# ----------------------------------------------------------------- the static host


class StaticHost(SimpleHTTPRequestHandler):
    """Serve files like a static host: gzip for text, a ten-minute cache lifetime,
    connections kept open between requests (HTTP/1.1), as any host does today."""

    protocol_version = "HTTP/1.1"
    compressed: ClassVar[dict[Path, bytes]] = {}

    def log_message(self, format, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirects "dir" to "dir/"
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and gzip_ok and content_type.startswith(GZIP_TYPES)):
            return super().send_head()
        body = self.compressed.get(path)
        if body is None:
            body = self.compressed[path] = gzip.compress(path.read_bytes(), 9)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _BytesReader(body)


class _BytesReader:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def read(self, *_args) -> bytes:
        body, self.body = self.body, b""
        return body

    def close(self) -> None:
        pass


def serve(site: Path) -> ThreadingHTTPServer:
    handler = functools.partial(StaticHost, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ----------------------------------------------------------------- the stock baseline

# What the baseline keeps of mkdocs.yml. Material's defaults otherwise: no custom_dir,
# no theme features, the default palette, no extra CSS or JavaScript, and no hooks.
STOCK_KEYS = ("site_name", "site_description", "site_url", "copyright")
STOCK_PAGE_KEYS = ("nav", "not_in_nav")
# Plugins that make pages out of the same sources: the "What changed" posts, the API
# reference from docstrings, the notebook. Search is Material's default plugin.
STOCK_PLUGINS = ("blog", "mkdocstrings", "mkdocs-jupyter")
# The project's own Markdown extensions that change the HTML readers get, not the
# text: diagrams drawn ahead, checklist ids, search exclusions, permalink names. The
# baseline goes without them; the ones that write text (the glossary page, the
# measured and behaviour tables, the lines under each stage title) stay, and the
# glossary gives no tooltips (GLOSSARY_EXTENSION).
FRONT_END_EXTENSIONS = (
    "site_markdown.diagrams",
    "site_markdown.progress",
    "site_markdown.search_index",
    "site_markdown.permalinks",
)
GLOSSARY_EXTENSION = "site_markdown.glossary"


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag PyYAML's safe loader does not build, such as
    `!!python/name:...` or `!ENV [...]`, kept so that it is written back unchanged."""

    tag: str
    value: object


class _ConfigLoader(yaml.SafeLoader):
    pass


class _ConfigDumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigDumper.add_representer(Tagged, _represent_tagged)


def load_config(text: str) -> dict:
    return yaml.load(text, Loader=_ConfigLoader)  # a SafeLoader subclass


def dump_config(config: dict) -> str:
    return yaml.dump(config, Dumper=_ConfigDumper, sort_keys=False)


def _named(entry: str | dict) -> tuple[str, object]:
    """("name", options) of a markdown_extensions or plugins entry."""
    if isinstance(entry, str):
        return entry, None
    ((name, options),) = entry.items()
    return name, options


def _entry(name: str, options: object) -> str | dict:
    return {name: options} if options else name


def stock_extension(entry: str | dict) -> str | dict:
    """A Markdown extension as the project configures it, less superfences' custom
    fences: a ```mermaid block is then a code block, as in any site without the
    project's diagram extension (stock Material would load Mermaid from a CDN). The
    glossary extension writes the glossary page but no tooltips."""
    name, options = _named(entry)
    if name == "pymdownx.superfences" and isinstance(options, dict):
        options = {k: v for k, v in options.items() if k != "custom_fences"}
    if name == GLOSSARY_EXTENSION:
        options = {**(options if isinstance(options, dict) else {}), "tooltips": False}
    return _entry(name, options)


def stock_plugin(entry: str | dict, root: Path) -> str | dict:
    """A page-making plugin as the project configures it; mkdocstrings' source paths
    made absolute, since the baseline's mkdocs.yml is not next to the project's."""
    name, options = _named(entry)
    if name == "mkdocstrings" and isinstance(options, dict):
        handlers = {
            handler: (
                {**settings, "paths": [str(root / p) for p in settings["paths"]]}
                if "paths" in settings
                else settings
            )
            for handler, settings in options.get("handlers", {}).items()
        }
        options = {**options, "handlers": handlers}
    return _entry(name, options)


def stock_config(project: dict, root: Path) -> dict:
    """The baseline's mkdocs.yml: the project's pages; every Markdown extension
    mkdocs.yml lists, with its options, since the same Markdown needs them to render
    (snippets, superfences, tabbed, tasklist, emoji, abbr, toc, admonition and the
    rest, the project's own fact markers and generated text), less the Mermaid fence
    and FRONT_END_EXTENSIONS, the glossary without tooltips; the plugins that make
    pages (blog, mkdocstrings, mkdocs-jupyter) and Material's default search.
    Material's defaults for everything else: no custom_dir, features, palette, extra
    CSS or JavaScript, rss, offline or project hooks. One setting differs from
    Material's defaults: `font: false`, as in the project, since the default loads
    Roboto from Google Fonts, which this machine cannot reach."""
    config = {key: project[key] for key in STOCK_KEYS if key in project}
    config["docs_dir"] = str(root / project.get("docs_dir", "docs"))
    config["theme"] = {"name": "material", "font": False}
    config["markdown_extensions"] = [
        stock_extension(entry)
        for entry in project.get("markdown_extensions", [])
        if _named(entry)[0] not in FRONT_END_EXTENSIONS
    ]
    config["plugins"] = ["search"] + [
        stock_plugin(entry, root)
        for entry in project.get("plugins", [])
        if _named(entry)[0] in STOCK_PLUGINS
    ]
    config.update({key: project[key] for key in STOCK_PAGE_KEYS if key in project})
    return config


# ----------------------------------------------------------------- tools


def missing_tool(message: str) -> SystemExit:
    print(f"lighthouse: {message}", file=sys.stderr)
    return SystemExit(2)


def require_tools() -> None:
    if not Path(CHROME).is_file():
        raise missing_tool(
            f"no Chromium at {CHROME}. On Debian: apt-get install -y chromium "
            "(or set CHROME_PATH)."
        )
    if LIGHTHOUSE.is_file():
        return
    if shutil.which("npm") is None:
        raise missing_tool("npm is needed to install Lighthouse in .cache/lighthouse")
    print(f"Installing {LIGHTHOUSE_PACKAGE} into {CACHE.relative_to(ROOT)} ...")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(CACHE),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            LIGHTHOUSE_PACKAGE,
        ],
        check=True,
    )


def build_site(target: Path, config_file: Path | None = None) -> None:
    """The project's site (strict), or with config_file the baseline (not strict:
    stock Material is not this project's business)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    command = [str(mkdocs), "build", "--quiet", "--site-dir", str(target)]
    if config_file is None:
        command.append("--strict")
    else:
        command += ["--config-file", str(config_file)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    if config_file is None:  # what `make build` adds: home totals, FAQ data, llms.txt
        post_build = [sys.executable, "-m", "site_markdown.post_build", str(target)]
        quiet = subprocess.DEVNULL
        subprocess.run(post_build, cwd=ROOT, env=env, check=True, stdout=quiet)


def build_stock_site(target: Path, scratch: Path) -> None:
    project = load_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config_file = scratch / "mkdocs-stock.yml"
    config_file.write_text(dump_config(stock_config(project, ROOT)), encoding="utf-8")
    build_site(target, config_file)


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as its path under the site root: "" for the home
    page, then the others in path order."""
    paths = [
        index.parent.relative_to(site).as_posix() + "/"
        for index in site.rglob("index.html")
    ]
    return sorted("" if path == "./" else path for path in paths)


def page_name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def run_lighthouse(
    url: str,
    report: Path,
    *,
    categories: tuple[str, ...] = (),
    dark: bool = False,
    desktop: bool = False,
) -> dict:
    flags = CHROME_FLAGS + (" " + DARK_FLAGS if dark else "")
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--chrome-flags={flags}",
        "--output=json",
        f"--output-path={report.with_suffix('.json')}",
    ]
    if categories:
        command.append("--only-categories=" + ",".join(categories))
    if desktop:
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run(command, env=env, check=True)
    return json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------- reading reports


@dataclass(frozen=True)
class Run:
    """What one Lighthouse run measured on one page."""

    performance: int
    tbt_ms: float  # total blocking time
    lcp_ms: float  # largest contentful paint
    transferred: int  # bytes
    dom_size: int  # elements
    benchmark_index: float  # Lighthouse's measure of this machine's CPU speed


@dataclass(frozen=True)
class Summary:
    """A page's runs on one site: the median of each figure, the mean of TBT."""

    performance: int
    tbt_ms: float
    lcp_ms: float
    transferred: int
    dom_size: int
    performance_runs: tuple[int, ...]
    tbt_runs: tuple[int, ...]


def score(report: dict, category: str) -> int:
    value = report["categories"][category]["score"]
    return round((value or 0) * 100)


def dom_size(report: dict) -> int:
    """Elements in the page: the dom-size audit in Lighthouse 12, its insight in 13."""
    for audit in ("dom-size", "dom-size-insight"):
        found = report["audits"].get(audit)
        if found and found.get("numericValue") is not None:
            return int(found["numericValue"])
    return 0


def read_run(report: dict) -> Run:
    audits = report["audits"]
    return Run(
        performance=score(report, "performance"),
        tbt_ms=float(audits["total-blocking-time"]["numericValue"]),
        lcp_ms=float(audits["largest-contentful-paint"]["numericValue"]),
        transferred=int(audits["total-byte-weight"]["numericValue"]),
        dom_size=dom_size(report),
        benchmark_index=float(report["environment"]["benchmarkIndex"]),
    )


def summarise(runs: list[Run]) -> Summary:
    return Summary(
        performance=round(statistics.median(r.performance for r in runs)),
        tbt_ms=statistics.fmean(r.tbt_ms for r in runs),
        lcp_ms=statistics.median(r.lcp_ms for r in runs),
        transferred=round(statistics.median(r.transferred for r in runs)),
        dom_size=round(statistics.median(r.dom_size for r in runs)),
        performance_runs=tuple(r.performance for r in runs),
        tbt_runs=tuple(round(r.tbt_ms) for r in runs),
    )


def under_tbt_floor(project: Summary) -> bool:
    """A mean TBT under 50 ms passes whatever the baseline's. Lighthouse counts only
    the part of each task beyond 50 ms, so such a mean is less than one task's
    worth, and the baseline's own runs of one page spread wider than that (stock
    Stage 1: 66-392 ms over five runs; a stock post: 21-127 ms over three), so a
    ratio of two such means says nothing. TBT's part of the score is 1.0 there."""
    return project.tbt_ms < TBT_FLOOR_MS


def ratio(project: float, stock: float) -> float | None:
    return project / stock if stock else None


def misses(project: Summary, stock: Summary) -> list[str]:
    """Where the project's page misses the budget against the baseline's."""
    found = []
    if project.performance < stock.performance:  # so >= 98 where the baseline is
        found.append(
            f"performance {project.performance} < baseline {stock.performance}"
        )
    if project.tbt_ms > TBT_RATIO * stock.tbt_ms and not under_tbt_floor(project):
        found.append(
            f"mean TBT {project.tbt_ms:.0f} ms > {TBT_RATIO} x baseline's "
            f"{stock.tbt_ms:.0f} ms"
        )
    if project.transferred > BYTES_RATIO * stock.transferred:
        found.append(
            f"{project.transferred / 1024:.1f} KiB > {BYTES_RATIO} x baseline's "
            f"{stock.transferred / 1024:.1f} KiB"
        )
    return found


def failing_audits(report: dict, category: str) -> list[str]:
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue") or ""
            lines.append(f"{category}: {audit['id']} {audit['title']} {shown}".strip())
    return lines


def median_report(reports: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's own advice for a
    noisy machine)."""
    ranked = sorted(reports, key=lambda report: score(report, "performance"))
    return ranked[len(ranked) // 2]


@dataclass
class PageResult:
    name: str
    project: Summary
    stock: Summary
    scores: dict[str, int]  # the project's other categories
    dark_accessibility: int
    failures: list[str] = field(default_factory=list)


def read_result(
    name: str, project_runs: list[dict], stock_runs: list[dict], dark: dict
) -> PageResult:
    project = summarise([read_run(r) for r in project_runs])
    stock = summarise([read_run(r) for r in stock_runs])
    report = median_report(project_runs)
    scores = {category: score(report, category) for category in CATEGORY_BUDGET}
    failures = misses(project, stock)
    if failures:
        failures += failing_audits(report, "performance")
    failures += [
        line
        for category, minimum in CATEGORY_BUDGET.items()
        if scores[category] < minimum
        for line in failing_audits(report, category)
    ]
    dark_score = score(dark, "accessibility")
    if dark_score < CATEGORY_BUDGET["accessibility"]:
        failures += ["dark " + line for line in failing_audits(dark, "accessibility")]
    return PageResult(name, project, stock, scores, dark_score, failures)


# ----------------------------------------------------------------- the table


def _times(project: float, stock: float) -> str:
    value = ratio(project, stock)
    return "-" if value is None else f"{value:.2f}"


def verdict(result: PageResult) -> str:
    """ "no" on a miss; "yes*" when TBT passes only under the floor."""
    if result.failures:
        return "no"
    p, s = result.project, result.stock
    return "yes*" if p.tbt_ms > TBT_RATIO * s.tbt_ms else "yes"


def table_rows(results: list[PageResult]) -> list[list[str]]:
    header = [
        "page",
        "perf",
        "base",
        "TBT ms",
        "base",
        "x",
        "LCP ms",
        "base",
        "x",
        "KiB",
        "base",
        "x",
        "DOM",
        "base",
        "x",
        *COLUMNS.values(),
        "dark",
        "perf runs",
        "TBT runs",
        "ok",
    ]
    rows = [header]
    for r in results:
        p, s = r.project, r.stock
        rows.append(
            [
                r.name,
                str(p.performance),
                str(s.performance),
                f"{p.tbt_ms:.0f}",
                f"{s.tbt_ms:.0f}",
                _times(p.tbt_ms, s.tbt_ms),
                f"{p.lcp_ms:.0f}",
                f"{s.lcp_ms:.0f}",
                _times(p.lcp_ms, s.lcp_ms),
                f"{p.transferred / 1024:.1f}",
                f"{s.transferred / 1024:.1f}",
                _times(p.transferred, s.transferred),
                str(p.dom_size),
                str(s.dom_size),
                _times(p.dom_size, s.dom_size),
                *(str(r.scores[c]) for c in COLUMNS),
                str(r.dark_accessibility),
                " ".join(map(str, p.performance_runs))
                + " / "
                + " ".join(map(str, s.performance_runs)),
                " ".join(map(str, p.tbt_runs)) + " / " + " ".join(map(str, s.tbt_runs)),
                verdict(r),
            ]
        )
    return rows


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells).rstrip())


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# ----------------------------------------------------------------- the run


def audit_page(
    name: str, urls: dict[str, str], runs: int, desktop: bool
) -> tuple[PageResult, list[float]]:
    """Lighthouse on one page of both sites, interleaved: project then baseline,
    then baseline then project, and so on; then the project's dark palette."""
    reports: dict[str, list[dict]] = {"project": [], "stock": []}
    for n in range(1, runs + 1):
        order = ("project", "stock") if n % 2 else ("stock", "project")
        for site in order:
            categories = ("performance",) if site == "stock" else ()
            report = run_lighthouse(
                urls[site],
                REPORTS / f"{name}-{site}-{n}",
                categories=categories,
                desktop=desktop,
            )
            reports[site].append(report)
    dark = run_lighthouse(
        urls["project"],
        REPORTS / f"{name}-project-dark",
        categories=("accessibility",),
        dark=True,
        desktop=desktop,
    )
    indexes = [read_run(r).benchmark_index for site in reports for r in reports[site]]
    return read_result(name, reports["project"], reports["stock"], dark), indexes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="the project's site, already built")
    parser.add_argument("--stock-site", type=Path, help="the baseline, already built")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs per page and site, interleaved (default 3)",
    )
    parser.add_argument(
        "--page",
        action="append",
        metavar="PATH",
        help="a page to audit instead of every page, as its path under the site "
        "root (e.g. stages/05-reliability/, or '' for the home page); repeat for more",
    )
    parser.add_argument(
        "--desktop",
        action="store_true",
        help="Lighthouse's desktop preset instead of the default mobile profile",
    )
    args = parser.parse_args(argv)
    require_tools()
    REPORTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as scratch:
        sites = {"project": args.site, "stock": args.stock_site}
        if sites["project"] is None:
            sites["project"] = Path(scratch) / "project"
            print("Building the project's site ...", flush=True)
            build_site(sites["project"])
        if sites["stock"] is None:
            sites["stock"] = Path(scratch) / "stock"
            print("Building the stock baseline ...", flush=True)
            build_stock_site(sites["stock"], Path(scratch))
        paths = args.page if args.page is not None else site_pages(sites["project"])
        paths = [path.strip("/") + "/" if path.strip("/") else "" for path in paths]
        stock_site = sites["stock"]
        missing = [p for p in paths if not (stock_site / p / "index.html").is_file()]
        if missing:
            print(f"lighthouse: not in the baseline: {missing}", file=sys.stderr)
            return 1
        servers = {site: serve(path.resolve()) for site, path in sites.items()}
        bases = {
            site: f"http://127.0.0.1:{server.server_address[1]}/"
            for site, server in servers.items()
        }
        load_before = load_average()
        results, indexes = [], []
        try:
            for number, path in enumerate(paths, 1):
                name = page_name(path)
                print(f"[{number}/{len(paths)}] {name} ({path or '/'}) ...", flush=True)
                urls = {site: base + path for site, base in bases.items()}
                result, page_indexes = audit_page(name, urls, args.runs, args.desktop)
                results.append(result)
                indexes += page_indexes
        finally:
            for server in servers.values():
                server.shutdown()
    minutes = (time.monotonic() - started) / 60
    print()
    print(
        "Project vs stock Material baseline (base), same Markdown, same host, "
        f"{args.runs} interleaved runs each; "
        + ("desktop" if args.desktop else "mobile, simulated throttling")
        + ". perf and LCP: median; TBT: mean; x: project / baseline."
    )
    print(
        f"Budget: perf >= base (so >= 98 where base is), TBT x <= {TBT_RATIO} "
        f"(or TBT < {TBT_FLOOR_MS} ms: ok is yes*), KiB x <= {BYTES_RATIO}, "
        "a11y/best/seo/agent and dark a11y 100."
    )
    print_table(table_rows(results))
    print(
        f"\nLoad average (1, 5, 15 min): {load_before} before, {load_average()} after; "
        f"{minutes:.0f} min."
    )
    if indexes:
        print(
            f"Lighthouse benchmarkIndex: median {statistics.median(indexes):.0f}, "
            f"min {min(indexes):.0f}, max {max(indexes):.0f} over {len(indexes)} runs."
        )
    failures = [(r.name, line) for r in results for line in r.failures]
    for name, line in failures:
        print(f"  {name}: {line}")
    print(f"\nReports: {REPORTS.relative_to(ROOT)}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
