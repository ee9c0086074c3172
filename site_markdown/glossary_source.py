"""Load glossary.yml, the only source of the site's glossary, strictly.

Every error names the file, the line and the field, so a typo in the glossary stops
the build with a message that says where to look. The file is read with PyYAML's node
API (`yaml.compose`) because `yaml.safe_load` forgets line numbers.

An entry looks like this (`aliases`, `related`, `checked` and `not_a_fact` are
optional):

    - term: Context window
      aliases: [context length]
      definition: One or two sentences in plain words.
      stage: 1
      related: [Token, Prompt caching]

A definition that states a fact which can change names its source and the day it was
read in `checked`, with the page's fact markers (site_markdown/facts.py) in quotes,
one or more separated by spaces; each marker is checked against data/sources.yml
(next to the glossary) as a page's is. A definition the fact scan flags that is not
a fact from outside this project says why in `not_a_fact` instead:

      checked: "[[prompt-caching 2026-11-25]]"
      not_a_fact: this site's own chunk size

A marker in a YAML comment would reach no reader, so a comment holding one stops the
build too, asking for the field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_markdown.facts import (
    MARKER,
    SOURCES_FILE,
    FactError,
    Source,
    check_marker,
    load_sources,
)

FIELDS = ("term", "aliases", "definition", "stage", "related", "checked", "not_a_fact")
ALLOWED = ", ".join(FIELDS)
REQUIRED = ("term", "definition", "stage")
STAGES = range(1, 7)
MAX_DEFINITION = 300
# The abbreviation syntax behind the tooltips, `*[term]: definition`, cannot hold these.
FORBIDDEN_IN_NAMES = ("\\", "]")
# `checked`: page markers, one or more, separated by spaces.
MARKERS = re.compile(r"\[\[[^\[\]]*\]\](?:\s+\[\[[^\[\]]*\]\])*")
BRACKETED = re.compile(r"\[\[([^\[\]]*)\]\]")
COMMENT_LINE = re.compile(r"^\s*#(?P<text>.*)$")
COMMENT_EXEMPTION = re.compile(r"^\s*not-a-fact:", re.I)
CHECKED_FORM = '"[[source-id YYYY-MM-DD]]"'


class GlossaryError(ValueError):
    """glossary.yml is malformed; the message lists every problem as FILE:LINE: ..."""


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    definition: str
    stage: int
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    line: int = 0
    checked: str = ""  # fact markers, "[[source-id YYYY-MM-DD]]", space-separated
    not_a_fact: str = ""  # why a definition the fact scan flags is not a fact

    @property
    def anchor(self) -> str:
        """The stable id of this term on the glossary page (`context-window`)."""
        return anchor_for(self.term)


def anchor_for(name: str) -> str:
    """Lower case, apostrophes dropped, every other run of punctuation or spaces
    turned into one hyphen: "Cohen's kappa" -> "cohens-kappa"."""
    slug = re.sub(r"['\u2019]", "", name.lower())
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-")


def sources_file(glossary: Path) -> Path:
    """The fact-source registry the glossary's `checked` markers name."""
    return glossary.parent / SOURCES_FILE


def load_glossary(path: Path, today: dt.date | None = None) -> list[Term]:
    """Read and validate the glossary file at `path`; `checked` markers against the
    registry next to it, none later than `today` (default: today)."""
    return parse_glossary(
        path.read_text(encoding="utf-8"),
        source=path.name,
        sources=sources_file(path),
        today=today,
    )


def parse_glossary(
    text: str,
    source: str = "glossary.yml",
    sources: Path = Path(SOURCES_FILE),
    today: dt.date | None = None,
) -> list[Term]:
    """Validate glossary YAML and return its terms in file order.

    Raises GlossaryError listing every problem, one per line, as `source:LINE: ...`.
    The source registry at `sources` is read only if an entry has `checked`.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise GlossaryError(f"{source}:{line}: not valid YAML: {exc.problem}") from exc
    if not isinstance(root, yaml.SequenceNode):
        line = _line(root) if root is not None else 1
        raise GlossaryError(f"{source}:{line}: expected a list of glossary entries")

    errors: list[tuple[int, str]] = _marked_comments(text)
    markers = _MarkerCheck(sources, today or dt.date.today())
    entries = [
        entry
        for number, node in enumerate(root.value, start=1)
        if (entry := _parse_entry(node, number, errors, markers)) is not None
    ]
    # Entries with other problems still count as names, so `related` does not
    # report them as unknown terms as well.
    names = {
        name
        for node in root.value
        if isinstance(node, yaml.MappingNode)
        for key, value in node.value
        if key.value == "term" and (name := _scalar_text(value))
    }
    _check_across_entries(entries, names, errors)
    if errors:
        errors.sort(key=lambda error: error[0])
        lines = (f"{source}:{line}: {message}" for line, message in errors)
        raise GlossaryError("\n".join(lines))
    return [entry.term for entry in entries]


@dataclass(frozen=True)
class _Entry:
    """A term that passed the per-entry checks, with the lines of its list items."""

    term: Term
    alias_lines: tuple[int, ...]
    related_lines: tuple[int, ...]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _marked_comments(text: str) -> list[tuple[int, str]]:
    """A comment holding a fact marker or a not-a-fact note: shown to no reader and
    read by no check, so the build asks for the field instead."""
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        comment = COMMENT_LINE.match(line)
        if comment and MARKER.search(comment["text"]):
            errors.append(
                (
                    number,
                    "a fact marker in a comment reaches no reader; fix: move it into "
                    f"the entry's field checked: {CHECKED_FORM}",
                )
            )
        elif comment and COMMENT_EXEMPTION.match(comment["text"]):
            errors.append(
                (
                    number,
                    "a not-a-fact note in a comment is read by no check; fix: move it "
                    "into the entry's field not_a_fact: reason",
                )
            )
    return errors


class _MarkerCheck:
    """Checks `checked` markers like a page's; reads the registry on first use."""

    def __init__(self, sources: Path, today: dt.date) -> None:
        self.path = sources
        self.today = today
        self._sources: dict[str, Source] | None = None

    def problems(self, value: str) -> list[str]:
        """What is wrong with each marker of a `checked` value, with its fix."""
        if self._sources is None:
            try:
                self._sources = load_sources(self.path)
            except FactError as error:
                return [f"cannot check the markers: {error}"]
        found = []
        for match in BRACKETED.finditer(value):
            try:
                check_marker(match[1], self._sources, self.today)
            except FactError as error:
                found.append(f"marker {match[0]}: {error}")
        return found


def _parse_entry(
    node: yaml.Node,
    number: int,
    errors: list[tuple[int, str]],
    markers: _MarkerCheck,
) -> _Entry | None:
    """Check one entry's fields and types; None (with errors recorded) if it fails."""
    if not isinstance(node, yaml.MappingNode):
        errors.append((_line(node), f"entry #{number} is not a mapping of fields"))
        return None

    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in fields:
            errors.append((_line(key_node), f"entry #{number}: '{key}' given twice"))
        fields[key] = value_node

    name = _scalar_text(fields.get("term"))
    label = f'entry "{name}"' if name else f"entry #{number}"
    failures = len(errors)

    def fail(at: yaml.Node, message: str) -> None:
        errors.append((_line(at), f"{label}: {message}"))

    for key_node, _ in node.value:
        if (key := str(key_node.value)) not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed: {ALLOWED}"
            fail(key_node, f"unknown field '{key}' ({hint})")
    missing = [key for key in REQUIRED if key not in fields]
    for key in missing:
        fail(node, f"missing field '{key}'")
    if missing:
        return None

    if not name:
        fail(fields["term"], "field 'term' must be non-empty text")
    _check_name(name, "field 'term'", fields["term"], fail)

    definition = _scalar_text(fields["definition"])
    if definition is None and fields["definition"].tag != "tag:yaml.org,2002:null":
        fail(fields["definition"], "field 'definition' must be text")
    elif not definition:
        fail(fields["definition"], "field 'definition' is empty")
    elif len(definition) > MAX_DEFINITION:
        fail(
            fields["definition"],
            f"field 'definition' is {len(definition)} characters, over the limit of "
            f"{MAX_DEFINITION}: keep it to one or two sentences",
        )

    stage_node = fields["stage"]
    stage = _scalar_int(stage_node)
    if stage not in STAGES:
        shown = getattr(stage_node, "value", "")
        shown = shown if isinstance(shown, str) else "a list or mapping"
        fail(stage_node, f"field 'stage' must be an integer from 1 to 6, got {shown!r}")

    aliases = _text_list(fields.get("aliases"), "aliases", fail)
    related = _text_list(fields.get("related"), "related", fail)
    for alias_node, alias in aliases:
        _check_name(alias, f"alias {alias!r}", alias_node, fail)
    checked = _checked(fields.get("checked"), markers, fail)
    not_a_fact = _not_a_fact(fields.get("not_a_fact"), fail)
    if "checked" in fields and "not_a_fact" in fields:
        fail(
            fields["not_a_fact"],
            "fields 'checked' and 'not_a_fact' are both given; fix: keep 'checked' if "
            "the definition states a fact from outside this project, else 'not_a_fact'",
        )
    if len(errors) > failures:
        return None

    term = Term(
        term=name,
        definition=definition,
        stage=stage,
        aliases=tuple(alias for _, alias in aliases),
        related=tuple(other for _, other in related),
        line=_line(node),
        checked=checked,
        not_a_fact=not_a_fact,
    )
    return _Entry(
        term=term,
        alias_lines=tuple(_line(alias_node) for alias_node, _ in aliases),
        related_lines=tuple(_line(other_node) for other_node, _ in related),
    )


def _checked(
    node: yaml.Node | None,
    markers: _MarkerCheck,
    fail: Callable[[yaml.Node, str], None],
) -> str:
    """The optional `checked` field: fact markers, each naming a registered source
    and a real past day, as on a page."""
    if node is None:
        return ""
    value = _scalar_text(node)
    if value is None:
        fail(
            node,
            "field 'checked' must be text; fix: put the markers in quotes, like "
            f"checked: {CHECKED_FORM} (unquoted, YAML reads [[...]] as a list)",
        )
        return ""
    if not value:
        fail(
            node,
            f"field 'checked' is empty; fix: write checked: {CHECKED_FORM}, or "
            "remove the field",
        )
        return ""
    if not MARKERS.fullmatch(value):
        fail(
            node,
            f"field 'checked' holds {value!r}, not fact markers; fix: write "
            f"checked: {CHECKED_FORM}, several separated by spaces",
        )
        return ""
    for problem in markers.problems(value):
        fail(node, f"field 'checked': {problem}")
    return value


def _not_a_fact(node: yaml.Node | None, fail: Callable[[yaml.Node, str], None]) -> str:
    """The optional `not_a_fact` field: why the fact scan's finding is no fact."""
    if node is None:
        return ""
    reason = _scalar_text(node)
    if not reason:
        fail(
            node,
            "field 'not_a_fact' must be a reason in words; fix: say why the "
            "definition is not a fact from outside this project",
        )
        return ""
    return reason


def _check_name(
    name: str | None,
    what: str,
    node: yaml.Node,
    fail: Callable[[yaml.Node, str], None],
) -> None:
    if name and (bad := [char for char in FORBIDDEN_IN_NAMES if char in name]):
        fail(node, f"{what} must not contain {bad[0]!r} (it breaks the tooltip syntax)")
    elif name and not anchor_for(name):
        fail(node, f"{what} needs at least one letter or digit")


def _scalar_text(node: yaml.Node | None) -> str | None:
    """A plain-text scalar with its whitespace collapsed (folded YAML keeps newlines);
    None for anything else (lists, numbers, booleans, null)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        return None
    return " ".join(node.value.split())


def _scalar_int(node: yaml.Node) -> int | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:int":
        return None
    value = yaml.SafeLoader("").construct_object(node)
    return value if isinstance(value, int) else None


def _text_list(
    node: yaml.Node | None,
    field: str,
    fail: Callable[[yaml.Node, str], None],
) -> list[tuple[yaml.Node, str]]:
    """The items of an optional list of non-empty strings, each with its node."""
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        fail(node, f"field '{field}' must be a list, like [first, second]")
        return []
    items = []
    for item in node.value:
        text = _scalar_text(item)
        if text:
            items.append((item, text))
        else:
            fail(item, f"field '{field}' holds an item that is not non-empty text")
    return items


def _check_across_entries(
    entries: list[_Entry], names: set[str], errors: list[tuple[int, str]]
) -> None:
    """Terms, aliases and anchors must be unique and `related` must name terms.

    Names are compared case-insensitively across entries. Within one entry an alias may
    repeat the term or another alias in a different case ("JSON schema" for "JSON
    Schema"), because tooltips match case-sensitively and need each spelling.
    """
    owners: dict[str, tuple[Term, str, int]] = {}  # casefolded -> (owner, exact, line)
    anchors: dict[str, Term] = {}
    for entry in entries:
        term = entry.term
        label = f'entry "{term.term}"'
        seen = owners.setdefault(term.term.casefold(), (term, term.term, term.line))
        if seen[0] is not term:
            owner, exact, line = seen
            if exact == owner.term:
                message = (
                    f'duplicate term "{term.term}": defined at line {line} '
                    f"and again at line {term.line}"
                )
            else:
                message = f'{label}: the term is already an alias of "{owner.term}" '
                message += f"at line {line}"
            errors.append((term.line, message))
        owner = anchors.setdefault(term.anchor, term)
        if owner is not term and owner.term.casefold() != term.term.casefold():
            errors.append(
                (
                    term.line,
                    f"{label}: its anchor #{term.anchor} is already used by "
                    f'"{owner.term}" (line {owner.line}); rename one of them',
                )
            )
        for alias, line in zip(term.aliases, entry.alias_lines, strict=True):
            seen = owners.get(alias.casefold())
            if seen is None:
                owners[alias.casefold()] = (term, alias, line)
                continue
            owner, exact, owner_line = seen
            if owner is not term:
                what = (
                    "is the term" if exact == owner.term else "duplicates an alias of"
                )
                message = f'alias {alias!r} {what} "{owner.term}" (line {owner_line})'
            elif exact == alias:
                again = "repeats the term" if alias == term.term else "is listed twice"
                message = f"alias {alias!r} {again}"
            else:
                continue  # the same name in another case: a spelling for tooltips
            errors.append((line, f"{label}: {message}"))

    for entry in entries:
        term = entry.term
        for other, line in zip(term.related, entry.related_lines, strict=True):
            label = f'entry "{term.term}"'
            if other == term.term:
                errors.append((line, f"{label}: 'related' names the term itself"))
            elif other not in names:
                close = difflib.get_close_matches(other, names, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                errors.append(
                    (line, f"{label}: 'related' names unknown term \"{other}\"{hint}")
                )
