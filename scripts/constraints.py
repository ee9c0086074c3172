"""The pinned test environment: write `constraints.txt`, or say how a venv differs.

`make test` installs exactly the versions in `constraints.txt` (what CI tested);
`make test-latest` installs the newest release of everything into `.venv-latest`
and runs the same suite. This script is the one writer of the file:

    python scripts/constraints.py freeze VENV   # write constraints.txt from VENV
    python scripts/constraints.py diff VENV     # print what VENV has that differs

`make constraints` runs `make test-latest` and then `freeze .venv-latest`, so the
file only ever records a set of versions the whole suite passed with.

The file holds `name==version` lines only: no index URL, no registry host, and no
local version labels (`torch==2.13.0`, not `+cpu`), so the same file works with any
index that serves those releases.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "constraints.txt"
PROJECT = "ai-engineer-roadmap"
HEADER = """\
# Exact versions `make test` installs: the set the whole suite last passed with.
# Written by `make constraints` (scripts/constraints.py); never edit by hand.
# Readers' ranges stay in pyproject.toml; this file pins what CI tested.
"""
LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


def installed(venv: Path) -> dict[str, str]:
    """`name -> version` for every distribution in `venv`, the project excluded."""
    python = venv / "bin" / "python"
    if not python.is_file():
        raise SystemExit(f"constraints: {venv} has no bin/python; run `make setup`")
    frozen = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    versions = {}
    for number, line in enumerate(frozen.splitlines(), 1):
        match = LINE.match(line.strip())
        if not match:
            raise SystemExit(
                f"constraints: pip freeze line {number} is not name==version: "
                f"{line!r}; install that package from a release, not a URL"
            )
        name = canonical(match["name"])
        if name in (PROJECT, "pip", "setuptools", "wheel"):
            continue
        versions[name] = match["version"].split("+", 1)[0]
    return versions


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(path: Path = CONSTRAINTS) -> dict[str, str]:
    """Read `constraints.txt`; a bad line names the file, the line and the fix."""
    versions = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        match = LINE.match(text)
        if not match:
            raise SystemExit(
                f"{path.name}:{number}: {line!r} is not `name==version`; "
                "regenerate the file with `make constraints`"
            )
        versions[canonical(match["name"])] = match["version"]
    return versions


def freeze(venv: Path) -> None:
    versions = installed(venv)
    lines = [f"{name}=={versions[name]}" for name in sorted(versions)]
    CONSTRAINTS.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"constraints: wrote {len(lines)} pins to {CONSTRAINTS.name}")


def diff(venv: Path) -> None:
    new, old = installed(venv), pinned()
    changed = [
        f"  {name}: {old.get(name, '(new)')} -> {new.get(name, '(gone)')}"
        for name in sorted(set(new) | set(old))
        if new.get(name) != old.get(name)
    ]
    if not changed:
        print(f"constraints: {venv} matches {CONSTRAINTS.name}")
        return
    print(f"constraints: {venv} differs from {CONSTRAINTS.name} in {len(changed)}:")
    print("\n".join(changed))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["freeze", "diff"])
    parser.add_argument("venv", type=Path)
    args = parser.parse_args(argv)
    (freeze if args.command == "freeze" else diff)(args.venv)


if __name__ == "__main__":
    sys.exit(main())
