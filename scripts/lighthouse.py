"""Lighthouse budget for the built site: `make lighthouse` runs this.

Builds the site (strict), serves it on 127.0.0.1 the way a static host would (gzip for
text, a short cache lifetime), and runs Lighthouse 13 with Debian's Chromium on the
home page, Stage 1 and the glossary (or the pages given with --page PATH):
Lighthouse's default mobile profile with simulated throttling (or its desktop preset
with --desktop), every category. It then runs the accessibility category again with
the dark palette, since colour contrast differs between the two.

Each page is audited --runs times (default 3) and the run with the median performance
score is reported, since timings on a shared machine vary from run to run. Prints
one row per page: the five category scores, the dark-palette accessibility score,
bytes transferred and requests, then every failing audit of a category under budget.
Exits 1 when a page misses the budget, 2 when a tool is missing. Reports (HTML and
JSON) are kept in .cache/lighthouse/reports/ for a closer look.

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
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

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

PAGES = {  # name: path under the site root
    "home": "",
    "stage-1": "stages/01-model-as-component/",
    "glossary": "glossary/",
}
BUDGET = {  # category id: minimum score out of 100
    "performance": 98,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "agentic-browsing": 100,
}
COLUMNS = {
    "performance": "perf",
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "seo",
    "agentic-browsing": "agent",
}
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg")


# ----------------------------------------------------------------- the static host


class StaticHost(SimpleHTTPRequestHandler):
    """Serve files like a static host: gzip for text, a ten-minute cache lifetime."""

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


def build_site(target: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(target)],
        cwd=ROOT,
        env=env,
        check=True,
    )


def run_lighthouse(
    url: str, report: Path, *, dark: bool = False, desktop: bool = False
) -> dict:
    flags = CHROME_FLAGS + (" " + DARK_FLAGS if dark else "")
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        f"--chrome-flags={flags}",
        "--output=json",
        "--output=html",
        f"--output-path={report}",
    ]
    if dark:
        command.append("--only-categories=accessibility")
    if desktop:
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run(command, env=env, check=True)
    return json.loads(report.with_suffix(".report.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------- reading reports


@dataclass
class PageResult:
    name: str
    scores: dict[str, int]
    performance_runs: list[int]
    dark_accessibility: int
    transferred: int
    requests: int
    failures: list[str]


def score(report: dict, category: str) -> int:
    value = report["categories"][category]["score"]
    return round((value or 0) * 100)


def failing_audits(report: dict, category: str) -> list[str]:
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue") or ""
            lines.append(f"{category}: {audit['id']} {audit['title']} {shown}".strip())
    return lines


def median_run(reports: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's own advice for a
    noisy machine); the other categories do not vary between runs."""
    ranked = sorted(reports, key=lambda report: score(report, "performance"))
    return ranked[len(ranked) // 2]


def read_result(name: str, runs: list[dict], dark: dict) -> PageResult:
    report = median_run(runs)
    scores = {category: score(report, category) for category in BUDGET}
    failures = [
        line
        for category, minimum in BUDGET.items()
        if scores[category] < minimum
        for line in failing_audits(report, category)
    ]
    dark_score = score(dark, "accessibility")
    if dark_score < BUDGET["accessibility"]:
        failures += ["dark " + line for line in failing_audits(dark, "accessibility")]
    requests = report["audits"]["network-requests"].get("details", {}).get("items", [])
    return PageResult(
        name=name,
        scores=scores,
        performance_runs=[score(run, "performance") for run in runs],
        dark_accessibility=dark_score,
        transferred=int(report["audits"]["total-byte-weight"]["numericValue"]),
        requests=len(requests),
        failures=failures,
    )


def print_table(results: list[PageResult]) -> None:
    header = [
        "page",
        *COLUMNS.values(),
        "a11y dark",
        "KB sent",
        "requests",
        "perf runs",
    ]
    rows = [
        [
            r.name,
            *(str(r.scores[c]) for c in COLUMNS),
            str(r.dark_accessibility),
            f"{r.transferred / 1024:.1f}",
            str(r.requests),
            " ".join(map(str, r.performance_runs)),
        ]
        for r in results
    ]
    budget = ["budget", *(f">={BUDGET[c]}" for c in COLUMNS), ">=100", "", "", ""]
    widths = [
        max(len(row[i]) for row in [header, budget, *rows]) for i in range(len(header))
    ]
    for row in [header, budget, *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site to audit")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs per page; the median performance run is reported (default 3)",
    )
    parser.add_argument(
        "--page",
        action="append",
        metavar="PATH",
        help="a page to audit instead of the default three, as its path under the "
        "site root (e.g. stages/05-reliability/); repeat for more",
    )
    parser.add_argument(
        "--desktop",
        action="store_true",
        help="Lighthouse's desktop preset instead of the default mobile profile",
    )
    args = parser.parse_args(argv)
    require_tools()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lighthouse-site-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            build_site(site)
        server = serve(site.resolve())
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        results = []
        try:
            pages = {
                path.strip("/").replace("/", "-") or "home": path
                for path in args.page or []
            }
            for name, path in (pages or PAGES).items():
                print(f"Lighthouse: {name} ({base}{path}) ...", flush=True)
                url = base + path
                runs = [
                    run_lighthouse(url, REPORTS / f"{name}-{n}", desktop=args.desktop)
                    for n in range(1, args.runs + 1)
                ]
                dark = run_lighthouse(
                    url, REPORTS / f"{name}-dark", dark=True, desktop=args.desktop
                )
                results.append(read_result(name, runs, dark))
        finally:
            server.shutdown()
    print()
    print_table(results)
    failures = [(r.name, line) for r in results for line in r.failures]
    for name, line in failures:
        print(f"  {name}: {line}")
    print(f"\nReports: {REPORTS.relative_to(ROOT)}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
