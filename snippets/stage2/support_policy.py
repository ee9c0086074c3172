"""Reference material as named sections, each with a measured token cost.

Long reference text (a policy, a style guide, a spec) is the bulk of most
prompts. Keep it in a file, split it at its headings, and measure each section
with `messages.count_tokens`: then you can decide which sections a request
needs instead of pasting everything, and you know what each one costs. The
other Stage 2 examples use this policy as their reference text.
"""

from functools import cache
from pathlib import Path

import anthropic

MODEL = "claude-sonnet-5-5"

POLICY_PATH = Path(__file__).with_name("support_policy.md")

client = anthropic.Anthropic()


# --8<-- [start:sections]
@cache
def load_policy() -> str:
    """The whole policy, read once per process."""
    return POLICY_PATH.read_text(encoding="utf-8")


def policy_sections() -> dict[str, str]:
    """Split the policy at its `## ` headings: {heading: section text}."""
    sections: dict[str, str] = {}
    for chunk in load_policy().split("\n## ")[1:]:
        heading, _, body = chunk.partition("\n")
        sections[heading.strip()] = f"## {heading.strip()}\n{body.strip()}\n"
    return sections


def section_tokens(text: str) -> int:
    """Tokens this text adds when sent as a user message, as the model counts them."""
    counted = client.messages.count_tokens(
        model=MODEL, messages=[{"role": "user", "content": text}]
    )
    return counted.input_tokens


# --8<-- [end:sections]


def main() -> None:
    sections = policy_sections()
    for heading, text in sections.items():
        print(f"{section_tokens(text):>6} tokens  {heading}")
    print(f"{section_tokens(load_policy()):>6} tokens  (whole policy)")


if __name__ == "__main__":
    main()
