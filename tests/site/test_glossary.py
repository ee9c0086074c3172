"""glossary.yml is loaded strictly, rendered sorted with stable anchors, and turned
into tooltips that the `abbr` extension applies to every written form of a term
(site_markdown/glossary.py, a Python-Markdown extension)."""

import datetime as dt
import re
import textwrap
from pathlib import Path

import markdown
import pytest

from site_markdown.glossary import (
    PageSource,
    first_tooltips_only,
    plural,
    read_page,
    render_glossary,
    tooltip_forms,
    tooltip_titles,
    uses,
    written_forms,
)
from site_markdown.glossary_source import GlossaryError, Term, anchor_for, load_glossary

ROOT = Path(__file__).resolve().parents[2]
VALID = """\
- term: Token
  definition: A piece of text.
  stage: 1
- term: Context window
  definition: The most tokens a model can read.
  stage: 1
  related: [Token]
"""


def load_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    return str(info.value)


# ----------------------------------------------------------------- loader errors


def test_missing_field_names_the_entry_line(tmp_path):
    text = VALID + "- term: Reranker\n  stage: 3\n"
    message = load_error(tmp_path, text)
    assert message == "glossary.yml:8: entry \"Reranker\": missing field 'definition'"


def test_unknown_field_names_the_key_line(tmp_path):
    text = VALID + "- term: Chunk\n  definition: A piece.\n  stage: 3\n  colour: red\n"
    message = load_error(tmp_path, text)
    assert message == (
        "glossary.yml:11: entry \"Chunk\": unknown field 'colour' "
        "(allowed: term, aliases, definition, stage, related, checked, not_a_fact)"
    )


def test_unknown_field_close_to_a_known_one_gets_a_hint(tmp_path):
    text = "- term: Chunk\n  defintion: A piece.\n  stage: 3\n"
    assert load_error(tmp_path, text).splitlines() == [
        "glossary.yml:1: entry \"Chunk\": missing field 'definition'",
        "glossary.yml:2: entry \"Chunk\": unknown field 'defintion' "
        "(did you mean 'definition'?)",
    ]


def test_a_broken_entry_still_counts_as_a_related_name(tmp_path):
    text = VALID.replace("  definition: A piece of text.\n", "")
    assert load_error(tmp_path, text) == (
        "glossary.yml:1: entry \"Token\": missing field 'definition'"
    )


def test_unknown_related_term_names_the_list_item_line(tmp_path):
    text = VALID + (
        "- term: Chunk\n"
        "  definition: A piece.\n"
        "  stage: 3\n"
        "  related:\n"
        "    - Token\n"
        "    - Tokn\n"
    )
    message = load_error(tmp_path, text)
    assert message == (
        'glossary.yml:13: entry "Chunk": \'related\' names unknown term "Tokn" '
        '(did you mean "Token"?)'
    )


def test_duplicate_term_names_both_lines(tmp_path):
    text = VALID + "- term: token\n  definition: Again.\n  stage: 1\n"
    message = load_error(tmp_path, text)
    assert message == (
        'glossary.yml:8: duplicate term "token": defined at line 1 and again at line 8'
    )


def test_alias_that_is_another_term_is_rejected(tmp_path):
    text = VALID + (
        "- term: Chunk\n  aliases: [tokens, context window]\n  definition: A piece.\n"
        "  stage: 3\n"
    )
    message = load_error(tmp_path, text)
    assert message == (
        "glossary.yml:9: entry \"Chunk\": alias 'context window' is the term "
        '"Context window" (line 4)'
    )


def test_duplicate_alias_across_entries_is_rejected(tmp_path):
    text = (
        "- term: Reranker\n  aliases: [reranking]\n  definition: Reorders.\n"
        "  stage: 3\n"
        "- term: Cross-encoder\n  aliases: [Reranking]\n  definition: Scores pairs.\n"
        "  stage: 3\n"
    )
    message = load_error(tmp_path, text)
    assert message == (
        "glossary.yml:6: entry \"Cross-encoder\": alias 'Reranking' duplicates an "
        'alias of "Reranker" (line 2)'
    )


def test_alias_repeated_within_an_entry_is_rejected(tmp_path):
    text = (
        "- term: Chunk\n  aliases: [piece, piece]\n  definition: A piece.\n  stage: 3\n"
    )
    message = load_error(tmp_path, text)
    assert message == "glossary.yml:2: entry \"Chunk\": alias 'piece' is listed twice"
    text = "- term: Chunk\n  aliases: [Chunk]\n  definition: A piece.\n  stage: 3\n"
    message = load_error(tmp_path, text)
    assert message == "glossary.yml:2: entry \"Chunk\": alias 'Chunk' repeats the term"


def test_an_alias_may_respell_its_own_term_in_another_case(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(
        "- term: JSON Schema\n  aliases: [JSON schema]\n  definition: Shapes JSON.\n"
        "  stage: 1\n",
        encoding="utf-8",
    )
    assert load_glossary(path)[0].aliases == ("JSON schema",)


@pytest.mark.parametrize("stage", ["0", "7", "two", "true", "2.5", "[1]", "null"])
def test_stage_must_be_an_integer_from_1_to_6(tmp_path, stage):
    text = f"- term: Chunk\n  definition: A piece.\n  stage: {stage}\n"
    message = load_error(tmp_path, text)
    assert message.startswith(
        "glossary.yml:3: entry \"Chunk\": field 'stage' must be an integer from 1 to 6"
    )


@pytest.mark.parametrize("definition", ['""', "null", "'   '"])
def test_empty_definition_is_rejected(tmp_path, definition):
    text = f"- term: Chunk\n  stage: 3\n  definition: {definition}\n"
    message = load_error(tmp_path, text)
    assert message == "glossary.yml:3: entry \"Chunk\": field 'definition' is empty"


def test_definition_must_be_text(tmp_path):
    text = "- term: Chunk\n  stage: 3\n  definition: [a, b]\n"
    message = load_error(tmp_path, text)
    assert message == "glossary.yml:3: entry \"Chunk\": field 'definition' must be text"


def test_definition_over_300_characters_is_rejected(tmp_path):
    text = f"- term: Chunk\n  stage: 3\n  definition: >-\n    {'word ' * 60}x\n"
    message = load_error(tmp_path, text)
    assert message == (
        "glossary.yml:3: entry \"Chunk\": field 'definition' is 301 characters, over "
        "the limit of 300: keep it to one or two sentences"
    )


def test_entry_that_is_not_a_mapping_is_rejected(tmp_path):
    message = load_error(tmp_path, VALID + "- just a term\n")
    assert message == "glossary.yml:8: entry #3 is not a mapping of fields"


def test_file_that_is_not_a_list_is_rejected(tmp_path):
    message = load_error(tmp_path, "term: Token\ndefinition: x\n")
    assert message == "glossary.yml:1: expected a list of glossary entries"


def test_invalid_yaml_names_its_line(tmp_path):
    message = load_error(tmp_path, VALID + "- term: [unclosed\n")
    assert message.startswith("glossary.yml:9: not valid YAML:")


def test_characters_that_break_the_tooltip_syntax_are_rejected(tmp_path):
    message = load_error(
        tmp_path, "- term: a\\b\n  definition: x\n  stage: 1\n  aliases: ['c]d']\n"
    )
    assert message.splitlines() == [
        "glossary.yml:1: entry \"a\\b\": field 'term' must not contain '\\\\' "
        "(it breaks the tooltip syntax)",
        "glossary.yml:4: entry \"a\\b\": alias 'c]d' must not contain ']' "
        "(it breaks the tooltip syntax)",
    ]


def test_terms_whose_anchors_collide_are_rejected(tmp_path):
    text = (
        "- term: top_p\n  definition: x\n  stage: 1\n"
        "- term: top-p\n  definition: y\n  stage: 1\n"
    )
    message = load_error(tmp_path, text)
    assert message == (
        'glossary.yml:4: entry "top-p": its anchor #top-p is already used by '
        '"top_p" (line 1); rename one of them'
    )


def test_every_problem_is_reported_in_line_order(tmp_path):
    text = (
        "- term: Chunk\n  definition: ''\n  stage: 9\n"
        "- term: Token\n  definition: x\n  stage: 1\n  related: [Nothing]\n"
    )
    lines = load_error(tmp_path, text).splitlines()
    assert [line.split(":")[1] for line in lines] == ["2", "3", "7"]


# ----------------------------------------------------------------- sources of facts

SOURCES = """\
prompt-caching:
  title: prompt caching docs
  url: https://platform.claude.com/docs/en/build-with-claude/prompt-caching
pricing:
  title: pricing page
  url: https://platform.claude.com/docs/en/about-claude/pricing
"""
TTL = "- term: TTL\n  definition: Entries last five minutes by default.\n  stage: 2\n"


def load_sourced(tmp_path: Path, text: str) -> list[Term]:
    """Load a glossary with data/sources.yml next to it, on 2026-12-02."""
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "sources.yml").write_text(SOURCES, encoding="utf-8")
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return load_glossary(path, today=dt.date(2026, 12, 2))


def sourced_error(tmp_path: Path, text: str) -> str:
    with pytest.raises(GlossaryError) as info:
        load_sourced(tmp_path, text)
    return str(info.value)


def test_checked_holds_the_page_markers_with_spaces_collapsed(tmp_path):
    text = TTL + (
        "  checked: >-\n    [[prompt-caching 2026-11-25]]\n    [[pricing 2026-12-02]]\n"
    )
    (term,) = load_sourced(tmp_path, text)
    assert term.checked == "[[prompt-caching 2026-11-25]] [[pricing 2026-12-02]]"
    assert term.not_a_fact == ""


def test_not_a_fact_holds_its_reason(tmp_path):
    (term,) = load_sourced(tmp_path, TTL + "  not_a_fact: this site's own setting\n")
    assert (term.checked, term.not_a_fact) == ("", "this site's own setting")


@pytest.mark.parametrize(
    ("checked", "problem"),
    [
        (
            '"[[nope 2026-11-25]]"',
            "field 'checked': marker [[nope 2026-11-25]]: the source id \"nope\" is "
            "not in data/sources.yml; fix: use one of its ids or add an entry with a "
            "title and url",
        ),
        (
            '"[[pricing 2026-11-25]] [[prompt-caching 2026-02-30]]"',
            "field 'checked': marker [[prompt-caching 2026-02-30]]: the date "
            '"2026-02-30" is not a real day; fix: correct the month or day',
        ),
        (
            '"[[pricing 26-11-25]]"',
            "field 'checked': marker [[pricing 26-11-25]]: the date \"26-11-25\" is "
            "not YYYY-MM-DD; fix: write the day you read the source, e.g. 2026-12-02",
        ),
        (
            '"[[pricing 2026-12-03]]"',
            "field 'checked': marker [[pricing 2026-12-03]]: the date "
            '"2026-12-03" is in the future; fix: write the day you read the source',
        ),
        (
            '"[[pricing]]"',
            "field 'checked': marker [[pricing]]: a marker is a source id and a date "
            "separated by one space; fix: write it as [[source-id YYYY-MM-DD]]",
        ),
        (
            "[[pricing 2026-11-25]]",
            "field 'checked' must be text; fix: put the markers in quotes, like "
            'checked: "[[source-id YYYY-MM-DD]]" (unquoted, YAML reads [[...]] as a '
            "list)",
        ),
        (
            '"pricing page, 2026-11-25"',
            "field 'checked' holds 'pricing page, 2026-11-25', not fact markers; fix: "
            'write checked: "[[source-id YYYY-MM-DD]]", several separated by spaces',
        ),
        (
            '""',
            "field 'checked' is empty; fix: write checked: "
            '"[[source-id YYYY-MM-DD]]", or remove the field',
        ),
    ],
)
def test_a_bad_checked_field_names_file_line_field_and_fix(tmp_path, checked, problem):
    message = sourced_error(tmp_path, TTL + f"  checked: {checked}\n")
    assert message == f'glossary.yml:4: entry "TTL": {problem}'


def test_an_unreadable_registry_is_reported_at_the_field(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(TTL + '  checked: "[[pricing 2026-11-25]]"\n', encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path, today=dt.date(2026, 12, 2))
    registry = tmp_path / "data" / "sources.yml"
    assert str(info.value).startswith(
        f"glossary.yml:4: entry \"TTL\": field 'checked': cannot check the markers: "
        f"{registry}: cannot read the source registry ("
    )


def test_no_registry_is_needed_without_checked_fields(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(TTL, encoding="utf-8")
    assert [term.term for term in load_glossary(path)] == ["TTL"]


@pytest.mark.parametrize("reason", ['""', "[a, b]", "null"])
def test_not_a_fact_needs_a_reason(tmp_path, reason):
    message = sourced_error(tmp_path, TTL + f"  not_a_fact: {reason}\n")
    assert message == (
        "glossary.yml:4: entry \"TTL\": field 'not_a_fact' must be a reason in words; "
        "fix: say why the definition is not a fact from outside this project"
    )


def test_checked_and_not_a_fact_together_are_rejected(tmp_path):
    text = TTL + '  checked: "[[pricing 2026-11-25]]"\n  not_a_fact: ours\n'
    assert sourced_error(tmp_path, text) == (
        "glossary.yml:5: entry \"TTL\": fields 'checked' and 'not_a_fact' are both "
        "given; fix: keep 'checked' if the definition states a fact from outside this "
        "project, else 'not_a_fact'"
    )


def test_markers_and_exemptions_in_comments_are_rejected(tmp_path):
    text = (
        '# A template: checked: "[[source-id YYYY-MM-DD]]"\n'
        + TTL
        + "  # [[pricing 2026-11-25]]\n"
        + "  # not-a-fact: ours\n"
    )
    assert sourced_error(tmp_path, text).splitlines() == [
        "glossary.yml:5: a fact marker in a comment reaches no reader; fix: move it "
        'into the entry\'s field checked: "[[source-id YYYY-MM-DD]]"',
        "glossary.yml:6: a not-a-fact note in a comment is read by no check; fix: "
        "move it into the entry's field not_a_fact: reason",
    ]


# ----------------------------------------------------------------- the real file


@pytest.fixture(scope="module")
def real_terms() -> list[Term]:
    return load_glossary(ROOT / "glossary.yml")


def test_the_real_glossary_loads_and_covers_every_stage(real_terms):
    assert len(real_terms) >= 90
    assert {term.stage for term in real_terms} == {1, 2, 3, 4, 5, 6}


def test_the_real_glossary_defines_the_core_terms(real_terms):
    names = {term.term for term in real_terms}
    core = {"Token", "Context window", "Temperature", "Structured output", "Embedding"}
    core |= {"Chunk", "HNSW", "BM25", "Reranker", "Agent", "Tool", "MCP", "Eval"}
    core |= {"LLM-as-judge", "Prompt injection", "Guardrail", "Prompt caching"}
    core |= {"Trace", "Span", "API double"}
    assert core <= names


def test_rendering_sorts_terms_under_letter_headings_with_stable_anchors(real_terms):
    page = render_glossary(real_terms, [], "glossary.md")
    anchors = re.findall(r"^### .+ \{ #([a-z0-9-]+) \}$", page, re.M)
    expected = [t.anchor for t in sorted(real_terms, key=lambda t: t.term.casefold())]
    assert anchors == expected
    assert len(set(anchors)) == len(anchors)
    letters = re.findall(r"^## (\S+)$", page, re.M)
    assert letters == sorted(set(letters))
    assert "### Context window { #context-window }" in page


def test_anchor_is_lowercase_with_hyphens():
    assert anchor_for("Context window") == "context-window"
    assert anchor_for("Cohen's kappa") == "cohens-kappa"
    assert anchor_for("recall@k") == "recall-k"
    assert anchor_for("top_p") == "top-p"


# ----------------------------------------------------------------- the glossary page

TOKEN = Term("Token", "A piece of text.", 1, line=1)
WINDOW = Term(
    "Context window",
    "The most `tokens` a model can read.",
    1,
    aliases=("context length",),
    related=("Token",),
    line=4,
)
STAGE_1 = "---\ntitle: 'Stage 1: The model'\n---\n\nWe count tokens here.\n"
GUIDE = (
    "# Guide\n\n```python\ncontext_window = 1\n```\n\nSee [link](context-window.md)."
)


def test_an_entry_shows_definition_stage_related_terms_and_pages():
    pages = [
        read_page("stages/01-model-as-component.md", STAGE_1),
        read_page("guides/context.md", GUIDE + "\nThe context length matters.\n"),
        read_page("glossary.md", "# Glossary\n\nContext window\n"),
    ]
    page = render_glossary([TOKEN, WINDOW], pages, "glossary.md")
    stage = "Stage: [Stage 1: The model](stages/01-model-as-component.md)"
    used_on_stage = "Used on: [Stage 1: The model](stages/01-model-as-component.md)"
    window = " · ".join(
        [
            stage,
            "Also called: context length",
            "Related: [Token](#token)",
            "Used on: [Guide](guides/context.md)",
        ]
    )
    assert page == (
        "## C\n\n"
        "### Context window { #context-window }\n\n"
        "The most `tokens` a model can read.\n\n"
        f"{window}\n{{ data-search-exclude }}\n\n"
        "## T\n\n"
        "### Token { #token }\n\n"
        "A piece of text.\n\n"
        f"{stage} · {used_on_stage}\n{{ data-search-exclude }}\n"
    )


def test_aliases_that_only_change_case_are_not_listed_as_other_names():
    schema = Term("JSON Schema", "Shapes JSON.", 1, aliases=("JSON schema",), line=1)
    page = render_glossary([schema], [], "glossary.md")
    assert "Also called" not in page
    assert "JSON schema" in tooltip_forms(schema)


def test_used_on_ignores_code_front_matter_and_link_targets():
    page = read_page("guides/x.md", "---\ntitle: Token\n---\n" + GUIDE)
    assert page.title == "Token"
    assert not uses(WINDOW, page)
    assert not uses(TOKEN, page)


def test_used_on_matches_whole_words_case_insensitively_and_plurals():
    assert uses(TOKEN, PageSource("a.md", "A", "Count TOKENS first."))
    assert not uses(TOKEN, PageSource("a.md", "A", "A tokenizer splits text."))


def test_page_title_falls_back_to_the_first_heading_then_the_file_name():
    assert read_page("a.md", "Intro\n\n# Real title\n").title == "Real title"
    assert read_page("guides/rag-debugging.md", "No heading").title == "Rag debugging"


# ----------------------------------------------------------------- tooltips


def test_forms_cover_aliases_plurals_and_the_other_first_letter_case():
    assert written_forms(WINDOW) == [
        "Context window",
        "Context windows",
        "context length",
        "context lengths",
    ]
    forms = tooltip_forms(WINDOW)
    assert {"context window", "Context windows", "Context length"} <= set(forms)
    names = Term("Claude Code", "x", 2)
    assert tooltip_forms(names) == ["Claude Code", "Claude Codes"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("context window", "context windows"),
        ("batch", "batches"),
        ("memory", "memories"),
        ("key", "keys"),
        ("few-shot examples", "few-shot examples"),
        ("RAG", "RAGs"),
    ],
)
def test_plural_of_the_last_word(word, expected):
    assert plural(word) == expected


def render(text: str, terms: list[Term]) -> str:
    return markdown.markdown(
        text,
        extensions=["abbr"],
        extension_configs={"abbr": {"glossary": tooltip_titles(terms)}},
    )


def test_tooltips_appear_on_each_form_but_not_in_code():
    html = render(
        "Context windows are finite. The context window of `context window` too.",
        [TOKEN, WINDOW],
    )
    title = 'title="The most tokens a model can read."'
    assert html.count(f"<abbr {title}>Context windows</abbr>") == 1
    assert html.count(f"<abbr {title}>context window</abbr>") == 1
    assert "<code>context window</code>" in html
    assert "*[" not in html


def test_definitions_are_flattened_to_one_plain_line():
    multiline = Term(
        "Chunk", "A [piece](x.md) of **text**,\nsplit & <small>.", 3, line=1
    )
    html = render("A chunk.", [multiline])
    assert 'title="A piece of text, split &amp; &lt;small&gt;."' in html


def test_the_first_term_keeps_a_form_two_terms_share():
    first = Term("Eval", "First.", 5, aliases=("evals",), line=1)
    second = Term("Evals", "Second.", 5, line=2)
    assert tooltip_titles([first, second])["evals"] == "First."


def test_a_tooltip_is_kept_at_its_first_use_in_each_section():
    token = '<abbr title="A piece of text.">token</abbr>'
    tokens = '<abbr title="A piece of text.">tokens</abbr>'
    window = '<abbr title="The most tokens.">context window</abbr>'
    html = (
        f"<p>A {token} and {tokens}; a {window}.</p><p>More {tokens}.</p>"
        f'<h2 id="next">Next</h2><p>{tokens} and a {window}, again a {window}.</p>'
    )
    assert first_tooltips_only(html) == (
        f"<p>A {token} and tokens; a {window}.</p><p>More tokens.</p>"
        f'<h2 id="next">Next</h2><p>{tokens} and a {window}, '
        "again a context window.</p>"
    )
