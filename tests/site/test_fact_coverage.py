"""Every changing statement on the site's pages and in its glossary carries a dated
source.

A price, a limit, a version, a default, a status or a claim about the model lineup
with no `[[source-id YYYY-MM-DD]]` marker fails here, naming the file and line
(site_markdown/fact_scan.py says what each category matches; in glossary.yml the
markers are an entry's field `checked: "[[...]]"`). Dated posts under
docs/changes/posts/ are exempt; a reviewed exception is marked
`<!-- not-a-fact: reason -->` (the field `not_a_fact: reason` in the glossary), and
they stay few.
"""

import datetime as dt
import re
from pathlib import Path

from site_markdown import fact_scan, facts
from site_markdown.glossary_source import load_glossary

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MAX_EXCEPTIONS = 12  # not-a-fact notes; past this, fix the detector or the prose


def test_every_changing_statement_has_a_source_and_a_date():
    _, found = fact_scan.scan(DOCS, ROOT)
    assert not found, "\n" + "\n".join(str(f) for f in found)


def test_every_marker_names_a_known_source_and_a_real_past_date():
    sources = facts.load_sources(ROOT / facts.SOURCES_FILE)
    markers, _ = fact_scan.scan(DOCS, ROOT)
    problems = []
    for marker in markers:
        body = marker.raw[2:-2]
        try:
            facts.check_marker(body, sources, dt.date.today())
        except facts.FactError as error:
            problems.append(f"{marker.path}:{marker.line}: {error}")
    assert markers
    assert not problems, "\n" + "\n".join(problems)


def test_the_glossary_markers_scanned_are_its_checked_fields():
    """The scan and the loader read the same field, entry by entry, in file order."""
    markers, _ = fact_scan.scan(DOCS, ROOT)
    scanned = [m.raw for m in markers if m.path == fact_scan.GLOSSARY_FILE]
    terms = load_glossary(ROOT / fact_scan.GLOSSARY_FILE)
    checked = [m[0] for t in terms for m in facts.MARKER.finditer(t.checked)]
    assert checked, "glossary.yml has no checked field: the comparison tests nothing"
    assert scanned == checked


def test_every_source_in_the_registry_is_cited():
    sources = facts.load_sources(ROOT / facts.SOURCES_FILE)
    markers, _ = fact_scan.scan(DOCS, ROOT)
    cited = {m.source_id for m in markers}
    assert sorted(set(sources) - cited) == []


def test_exceptions_are_few_and_give_a_reason():
    notes = []
    for page in fact_scan.pages(DOCS):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"(?<!`)<!--\s*not-a-fact:(.*?)-->", text, re.S):
            line = text.count("\n", 0, match.start()) + 1
            notes.append((f"{page.relative_to(ROOT)}:{line}", match[1].strip()))
    glossary = (ROOT / fact_scan.GLOSSARY_FILE).read_text(encoding="utf-8")
    for line, reason in fact_scan.glossary_exemptions(glossary):
        notes.append((f"{fact_scan.GLOSSARY_FILE}:{line}", reason))
    assert [where for where, reason in notes if not reason] == []
    assert len(notes) <= MAX_EXCEPTIONS, "\n".join(w for w, _ in notes)


def test_the_site_renders_markers_with_the_extension():
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^  - site_markdown\.facts\b", mkdocs, re.M)
