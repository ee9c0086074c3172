import runpy

from snippets.stage2 import support_policy

EXPECTED_SECTIONS = {
    "Voice and tone",
    "Lost, late and damaged parcels",
    "Returns",
    "Refunds",
    "Warranty",
    "When to escalate to a human",
    "Checklist every draft must pass",
}


def test_main_prints_a_token_cost_per_section(capsys):
    runpy.run_module("snippets.stage2.support_policy", run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(support_policy.policy_sections()) + 1
    assert lines[-1].endswith("tokens  (whole policy)")
    assert all(int(line.split()[0]) > 0 for line in lines)


def test_sections_are_split_at_the_headings():
    sections = support_policy.policy_sections()
    assert set(sections) >= EXPECTED_SECTIONS
    for heading, text in sections.items():
        assert text.startswith(f"## {heading}\n")
        assert "\n## " not in text


def test_sections_together_hold_the_whole_policy_body():
    def words(text: str) -> list[str]:
        return [word for word in text.split() if word != "##"]

    policy = support_policy.load_policy()
    sections = support_policy.policy_sections().values()
    assert words(" ".join(sections)) == words(policy.split("\n## ", 1)[1])


def test_the_policy_is_read_from_disk_once():
    assert support_policy.load_policy() is support_policy.load_policy()


def test_a_longer_section_costs_more_tokens():
    sections = support_policy.policy_sections()
    short = support_policy.section_tokens(sections["Discounts and codes"])
    long = support_policy.section_tokens(sections["Lost, late and damaged parcels"])
    whole = support_policy.section_tokens(support_policy.load_policy())
    assert 0 < short < long < whole
