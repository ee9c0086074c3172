"""The stage pages' front matter forms exactly the roadmap: the chain 1 → 2 → … → 6.

Every page in docs/stages/ states `stage`, `requires` and `unlocks`. Together they
must say that stage N requires N-1 and unlocks N+1, that each `unlocks` is answered
by a `requires` on the other page and the other way round, and that the number
matches the file name. Every problem names the file, the line and the fix.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STAGES_DIR = ROOT / "docs" / "stages"
STAGE_NUMBERS = range(1, 7)
KEYS = ("stage", "requires", "unlocks")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
FILE_NUMBER = re.compile(r"^(\d\d)-")


@dataclass(frozen=True)
class StagePage:
    where: str  # "docs/stages/03-retrieval.md", for messages
    stage: int
    requires: tuple[int, ...]
    unlocks: tuple[int, ...]
    lines: dict[str, int]  # the line of each key in the file


def expected(stage: int) -> dict[str, list[int]]:
    """What the chain says stage N's front matter holds."""
    return {
        "requires": [stage - 1] if stage > 1 else [],
        "unlocks": [stage + 1] if stage < max(STAGE_NUMBERS) else [],
    }


def read_stage_page(path: Path, where: str) -> tuple[StagePage | None, list[str]]:
    """Parse one page's front matter; (page, []) or (None, problems)."""
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    number = FILE_NUMBER.match(path.name)
    hint = int(number.group(1)) if number else 1
    if not match:
        return None, [
            f"{where}:1: no front matter; start the file with a `---` block holding "
            f"`stage: {hint}`, `requires: {expected(hint)['requires']}` and "
            f"`unlocks: {expected(hint)['unlocks']}`"
        ]
    try:
        root = yaml.compose(match.group(1) or "", Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        # +1 for 1-based lines, +1 for the opening `---` line
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 1
        message = f"{where}:{line}: front matter is not valid YAML: {error.problem}"
        if error.context and error.context_mark:
            message += f" ({error.context} on line {error.context_mark.line + 2})"
        return None, [message]
    if not isinstance(root, yaml.MappingNode):
        return None, [f"{where}:2: front matter must be `key: value` lines"]
    nodes = {str(key.value): value for key, value in root.value}
    lines = {key: value.start_mark.line + 2 for key, value in nodes.items()}
    closing = (match.group(0).count("\n") or 1) if match.group(1) else 2
    problems = []
    values: dict[str, object] = {}
    for key in KEYS:
        if key not in nodes:
            fix = hint if key == "stage" else expected(hint)[key]
            problems.append(
                f"{where}:{closing}: front matter has no `{key}`; add `{key}: {fix}`"
            )
            continue
        value = yaml.SafeLoader("").construct_document(nodes[key])
        wanted = (
            "an integer from 1 to 6" if key == "stage" else "a list of stage numbers"
        )
        ok = (
            isinstance(value, int) and not isinstance(value, bool)
            if key == "stage"
            else isinstance(value, list)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        )
        if not ok:
            example = hint if key == "stage" else expected(hint)[key]
            problems.append(
                f"{where}:{lines[key]}: `{key}` must be {wanted}, like "
                f"`{key}: {example}`; got {value!r}"
            )
        else:
            values[key] = value
    if problems:
        return None, problems
    page = StagePage(
        where=where,
        stage=values["stage"],
        requires=tuple(values["requires"]),
        unlocks=tuple(values["unlocks"]),
        lines=lines,
    )
    return page, []


def check_stage_graph(stages_dir: Path, root: Path = ROOT) -> list[str]:
    """Every problem with the stage pages' front matter, as FILE:LINE: what and fix."""
    pages, problems = [], []
    unreadable = set()  # stage numbers (from file names) of pages already reported
    for path in sorted(stages_dir.glob("*.md")):
        page, found = read_stage_page(path, path.relative_to(root).as_posix())
        problems += found
        if page:
            pages.append((path, page))
        elif number := FILE_NUMBER.match(path.name):
            unreadable.add(int(number.group(1)))

    by_stage: dict[int, StagePage] = {}
    for path, page in pages:
        number = FILE_NUMBER.match(path.name)
        line = page.lines["stage"]
        if page.stage not in STAGE_NUMBERS:
            problems.append(
                f"{page.where}:{line}: `stage: {page.stage}` is not a stage of the "
                "roadmap; stages are numbered 1 to 6"
            )
            continue
        if number and int(number.group(1)) != page.stage:
            problems.append(
                f"{page.where}:{line}: `stage: {page.stage}` disagrees with the file "
                f"name; use `stage: {int(number.group(1))}` or rename the file"
            )
        if page.stage in by_stage:
            problems.append(
                f"{page.where}:{line}: `stage: {page.stage}` is already the stage of "
                f"{by_stage[page.stage].where}; each stage has exactly one page"
            )
            continue
        by_stage[page.stage] = page

    for stage in STAGE_NUMBERS:
        if stage not in by_stage and stage not in unreadable:
            problems.append(
                f"{stages_dir.relative_to(root).as_posix()}: no page has `stage: "
                f"{stage}`; add it, with `requires: {expected(stage)['requires']}` "
                f"and `unlocks: {expected(stage)['unlocks']}`"
            )

    # Both directions must agree: A unlocks B exactly when B requires A.
    for page in by_stage.values():
        for key, other_key in (("unlocks", "requires"), ("requires", "unlocks")):
            for other in getattr(page, key):
                target = by_stage.get(other)
                if target and page.stage not in getattr(target, other_key):
                    problems.append(
                        f"{target.where}:{target.lines[other_key]}: "
                        f"{page.where} says `{key}: [{other}]`, but this page's "
                        f"`{other_key}` does not list {page.stage}"
                    )

    # And the graph must be the chain itself.
    for page in by_stage.values():
        for key, wanted in expected(page.stage).items():
            if list(getattr(page, key)) != wanted:
                problems.append(
                    f"{page.where}:{page.lines[key]}: `{key}: "
                    f"{list(getattr(page, key))}` breaks the chain 1 → 2 → … → 6; "
                    f"write `{key}: {wanted}`"
                )
    return problems


# ----------------------------------------------------------------- the real pages


def test_the_stage_pages_form_the_six_stage_chain():
    problems = check_stage_graph(STAGES_DIR)
    assert not problems, "Stage front matter:\n" + "\n".join(problems)


def test_there_are_six_stage_pages_in_order():
    pages = [read_stage_page(p, p.name)[0] for p in sorted(STAGES_DIR.glob("*.md"))]
    assert [page.stage for page in pages if page] == [1, 2, 3, 4, 5, 6]


# ----------------------------------------------------------------- the checker itself


def write_chain(stages_dir: Path, overrides: dict[int, str] | None = None) -> None:
    """Six correct stage pages, with some pages' front matter replaced."""
    stages_dir.mkdir(parents=True)
    for stage in STAGE_NUMBERS:
        want = expected(stage)
        front = (
            f'title: "Stage {stage}"\nstage: {stage}\n'
            f"requires: {want['requires']}\nunlocks: {want['unlocks']}\n"
        )
        front = (overrides or {}).get(stage, front)
        text = f"---\n{front}---\n\n# Stage {stage}\n" if front is not None else "# X\n"
        (stages_dir / f"0{stage}-s.md").write_text(text, encoding="utf-8")


def problems_for(tmp_path: Path, overrides: dict[int, str]) -> list[str]:
    stages = tmp_path / "docs" / "stages"
    write_chain(stages, overrides)
    return check_stage_graph(stages, root=tmp_path)


def test_a_correct_chain_passes(tmp_path):
    assert problems_for(tmp_path, {}) == []


def test_a_wrong_requires_names_file_line_and_fix(tmp_path):
    found = problems_for(tmp_path, {3: "stage: 3\nrequires: [1]\nunlocks: [4]\n"})
    assert found == [
        "docs/stages/03-s.md:3: docs/stages/02-s.md says `unlocks: [3]`, but this "
        "page's `requires` does not list 2",
        "docs/stages/01-s.md:5: docs/stages/03-s.md says `requires: [1]`, but this "
        "page's `unlocks` does not list 3",
        "docs/stages/03-s.md:3: `requires: [1]` breaks the chain 1 → 2 → … → 6; "
        "write `requires: [2]`",
    ]


def test_a_missing_key_is_reported_at_the_end_of_the_front_matter(tmp_path):
    found = problems_for(tmp_path, {4: "stage: 4\nrequires: [3]\n"})
    assert found[0] == (
        "docs/stages/04-s.md:4: front matter has no `unlocks`; add `unlocks: [5]`"
    )


def test_missing_front_matter_says_what_to_write(tmp_path):
    found = problems_for(tmp_path, {6: None})
    assert found == [
        "docs/stages/06-s.md:1: no front matter; start the file with a `---` block "
        "holding `stage: 6`, `requires: [5]` and `unlocks: []`"
    ]


def test_a_missing_stage_page_is_reported(tmp_path):
    stages = tmp_path / "docs" / "stages"
    write_chain(stages)
    (stages / "04-s.md").unlink()
    found = check_stage_graph(stages, root=tmp_path)
    assert found == [
        "docs/stages: no page has `stage: 4`; add it, with `requires: [3]` and "
        "`unlocks: [5]`"
    ]


def test_a_value_of_the_wrong_type_is_reported(tmp_path):
    found = problems_for(tmp_path, {2: "stage: two\nrequires: 1\nunlocks: [3]\n"})
    assert found == [
        "docs/stages/02-s.md:2: `stage` must be an integer from 1 to 6, like "
        "`stage: 2`; got 'two'",
        "docs/stages/02-s.md:3: `requires` must be a list of stage numbers, like "
        "`requires: [1]`; got 1",
    ]


def test_a_stage_number_that_disagrees_with_the_file_name(tmp_path):
    found = problems_for(tmp_path, {5: "stage: 7\nrequires: [4]\nunlocks: [6]\n"})
    assert found[0] == (
        "docs/stages/05-s.md:2: `stage: 7` is not a stage of the roadmap; "
        "stages are numbered 1 to 6"
    )
    found = problems_for(tmp_path / "b", {5: "stage: 4\nrequires: [3]\nunlocks: [5]\n"})
    assert found[0] == (
        "docs/stages/05-s.md:2: `stage: 4` disagrees with the file name; use "
        "`stage: 5` or rename the file"
    )
    assert any("is already the stage of docs/stages/04-s.md" in p for p in found)


def test_invalid_yaml_names_its_line(tmp_path):
    found = problems_for(tmp_path, {1: "stage: 1\nrequires: [\nunlocks: [2]\n"})
    assert found == [
        "docs/stages/01-s.md:5: front matter is not valid YAML: expected ',' or ']', "
        "but got '<stream end>' (while parsing a flow sequence on line 3)"
    ]


def test_front_matter_that_is_not_a_mapping(tmp_path):
    found = problems_for(tmp_path, {1: "- stage\n"})
    assert found[0] == "docs/stages/01-s.md:2: front matter must be `key: value` lines"
