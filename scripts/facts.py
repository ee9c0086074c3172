"""`make facts`: every dated fact on the site, oldest first, the stale ones flagged.

Three places hold facts that change upstream, each with its source and the day it
was read:

- the pages: every `[[source-id YYYY-MM-DD]]` marker under docs/ (the registry of
  sources is data/sources.yml; site_markdown/facts.py renders the markers), and
  in glossary.yml, where an entry's `checked` field holds the markers that date
  its definition;
- the local API double's behaviour table, tests/double/behaviour.yml (`source`,
  `read`), which the "How the examples are tested" page renders;
- the price table, snippets/stage1/pricing.py (`PRICES_SOURCE`,
  `PRICES_CHECKED_ON`), which every cost on the site is computed from.

Each line gives the age in days, the date, the source, where the fact is written
and the first words of the statement. A fact read more than 90 days ago is marked
STALE: read the source again, correct the statement, and update the date. This is
a report and always exits 0; the test that fails on an unmarked changing statement
is tests/site/test_fact_coverage.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_markdown.fact_scan import scan
from site_markdown.facts import SOURCES_FILE, load_sources

ROOT = Path(__file__).resolve().parents[1]
STALE_AFTER_DAYS = 90
BEHAVIOUR_TABLE = "tests/double/behaviour.yml"
PRICE_TABLE = "snippets/stage1/pricing.py"
WORDS = 9  # of each statement, to recognise it by


@dataclass(frozen=True)
class Entry:
    checked: dt.date
    source: str  # a registry id, or a URL where the fact's home has no registry
    url: str
    where: str  # path:line
    statement: str


def page_entries(root: Path) -> list[Entry]:
    sources = load_sources(root / SOURCES_FILE)
    markers, _ = scan(root / "docs", root)
    return [
        Entry(
            dt.date.fromisoformat(m.date),
            m.source_id,
            sources[m.source_id].url if m.source_id in sources else "?",
            f"{m.path}:{m.line}",
            m.statement,
        )
        for m in markers
    ]


def behaviour_entries(root: Path) -> list[Entry]:
    path = root / BEHAVIOUR_TABLE
    text = path.read_text(encoding="utf-8")
    lines = {m[1]: text.count("\n", 0, m.start()) + 1 for m in _ROW.finditer(text)}
    return [
        Entry(
            dt.date.fromisoformat(str(row["read"])),
            row["source"],
            row["source"],
            f"{BEHAVIOUR_TABLE}:{lines.get(row['id'], 1)}",
            row["fact"],
        )
        for row in yaml.safe_load(text)
    ]


_ROW = re.compile(r"^- id: (\S+)", re.M)


def price_entries(root: Path) -> list[Entry]:
    text = (root / PRICE_TABLE).read_text(encoding="utf-8")
    date = re.search(r'^PRICES_CHECKED_ON = "(\d{4}-\d{2}-\d{2})"', text, re.M)
    url = re.search(r"https://\S+?(?=\"|\s|$)", text[text.index("PRICES_SOURCE") :])
    if not date or not url:
        raise ValueError(f"{PRICE_TABLE}: no PRICES_CHECKED_ON or PRICES_SOURCE URL")
    line = text.count("\n", 0, date.start()) + 1
    return [
        Entry(
            dt.date.fromisoformat(date[1]),
            "pricing",
            url[0],
            f"{PRICE_TABLE}:{line}",
            "The price table every cost on the site is computed from",
        )
    ]


def collect(root: Path = ROOT) -> list[Entry]:
    entries = page_entries(root) + behaviour_entries(root) + price_entries(root)
    return sorted(entries, key=lambda e: (e.checked, *_place(e.where)))


def _place(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return path, int(line)


def first_words(text: str, count: int = WORDS) -> str:
    words = text.lstrip(";,:.) ").split()
    return " ".join(words[:count]) + (" ..." if len(words) > count else "")


def report(entries: list[Entry], today: dt.date) -> str:
    stale = [e for e in entries if (today - e.checked).days > STALE_AFTER_DAYS]
    lines = [
        f"{len(entries)} dated facts, oldest first, as of {today.isoformat()}; "
        f"STALE: read more than {STALE_AFTER_DAYS} days ago.",
        "",
    ]
    for entry in entries:
        age = (today - entry.checked).days
        flag = "STALE" if entry in stale else ""
        lines.append(
            f"{flag:5} {age:4}d  {entry.checked.isoformat()}  {entry.source}  "
            f"{entry.where}  {first_words(entry.statement)!r}  {entry.url}"
        )
    lines += ["", f"{len(stale)} stale of {len(entries)}."]
    if stale:
        lines.append(
            "Read each stale source again, correct the statement, then update its date."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    sys.stdout.write(report(collect(), args.today))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
