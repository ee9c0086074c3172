"""The FAQ page carries FAQPage structured data built from its own questions.

The post-build step (site_markdown/post_build/faq_schema.py) turns each <h2> of the
built FAQ page into a schema.org Question whose accepted Answer is the text up to the
next <h2>, and puts the JSON-LD in the head, after either generator.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

from site_markdown.post_build.built_site import BuiltSite
from site_markdown.post_build.faq_schema import (
    FAQ_PAGE,
    FaqSchemaError,
    faq_schema,
    insert_json_ld,
    questions_and_answers,
    with_schema,
    write,
)

ROOT = Path(__file__).resolve().parents[2]
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

CONTENT = """
<h1 id="faq">Frequently asked questions<a class="headerlink" href="#faq">¶</a></h1>
<p>Read this first.</p>
<h2 id="cost">How much does it cost?<a class="headerlink" href="#cost">¶</a></h2>
<p>Very <em>little</em>. Count <abbr title="A piece of text.">tokens</abbr>
first.</p>
<div class="language-python highlight"><span class="filename">prices.py</span>
<pre><span></span><code>PRICES = {"a": 1}</code></pre></div>
<ul><li>One</li><li>Two</li></ul>
<h2 id="gpu">Do I need a GPU?</h2>
<p>No &amp; never <code>cuda</code>.</p><p>Really.</p>
"""
PAGE = (
    "<html><head><title>FAQ</title></head><body>"
    '<article class="md-content__inner md-typeset">{content}</article>'
    "<footer><h2>Not a question</h2><p>Theme text.</p></footer></body></html>"
)


def structured_data(html: str) -> dict:
    (text,) = JSON_LD.findall(html)
    return json.loads(text)


def test_each_h2_becomes_a_question_with_the_text_after_it_as_answer():
    assert questions_and_answers(CONTENT) == [
        (
            "How much does it cost?",
            "Very little. Count tokens first. One Two",
        ),
        ("Do I need a GPU?", "No & never cuda. Really."),
    ]


def test_the_schema_is_a_faq_page_of_questions_with_accepted_answers():
    data = faq_schema([("Q?", "A.")])
    assert data == {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": "Q?",
                "acceptedAnswer": {"@type": "Answer", "text": "A."},
            }
        ],
    }


def test_the_faq_page_gets_one_json_ld_script_in_its_head():
    output = with_schema(PAGE.format(content=CONTENT))
    head = output.split("</head>")[0]
    assert len(JSON_LD.findall(head)) == 1
    data = structured_data(output)
    assert [q["name"] for q in data["mainEntity"]] == [
        "How much does it cost?",
        "Do I need a GPU?",
    ]


def test_a_second_run_replaces_the_data_instead_of_adding_a_script():
    once = with_schema(PAGE.format(content=CONTENT))
    assert with_schema(once) == once


def test_write_changes_the_built_faq_page_only(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "index.html").write_text(PAGE.format(content=CONTENT))
    (tmp_path / "faq" / "index.html").write_text(PAGE.format(content=CONTENT))
    write(BuiltSite(tmp_path, directory_urls=True))
    assert len(JSON_LD.findall((tmp_path / "faq" / "index.html").read_text())) == 1
    assert (tmp_path / "index.html").read_text() == PAGE.format(content=CONTENT)


def test_a_faq_without_questions_stops_the_build_with_the_fix():
    with pytest.raises(FaqSchemaError, match=r"docs/faq.md: no questions found.*## "):
        with_schema(PAGE.format(content="<p>Hi</p>"))


def test_a_page_without_a_head_is_reported():
    with pytest.raises(FaqSchemaError, match="no </head>"):
        insert_json_ld("<body></body>", faq_schema([("Q?", "A.")]))


def test_text_cannot_close_the_script_early():
    content = "<h2>Why?</h2><p>Because &lt;/script&gt;&lt;script&gt;alert(1)</p>"
    output = with_schema(PAGE.format(content=content))
    (script,) = JSON_LD.findall(output)
    assert "</script>" not in script
    answer = json.loads(script)["mainEntity"][0]["acceptedAnswer"]["text"]
    assert answer == "Because </script><script>alert(1)"


def test_the_built_faq_has_one_question_per_heading_of_faq_md(built_site):
    data = structured_data((built_site / "faq" / "index.html").read_text())
    source = (ROOT / "docs" / FAQ_PAGE).read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", source, re.M)
    assert [q["name"] for q in data["mainEntity"]] == headings
    assert all(len(q["acceptedAnswer"]["text"]) > 80 for q in data["mainEntity"])
    front_matter = yaml.safe_load(source.split("---")[1])
    assert front_matter["description"], "the FAQ needs a meta description too"
