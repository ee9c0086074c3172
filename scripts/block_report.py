"""Count the Python blocks on the site and say how each kind is tested.

Usage: python -m scripts.block_report
"""

from collections import Counter

from tests.docs_blocks import DOCS, ROOT, python_blocks


def main() -> None:
    blocks = python_blocks(DOCS)
    kinds = Counter("included" if block.includes else "inline" for block in blocks)
    per_page = Counter(str(block.path.relative_to(ROOT)) for block in blocks)
    print(f"Python blocks on the site: {len(blocks)}")
    print(f"  included from a tested snippets/ module: {kinds['included']}")
    print(f"  inline, run by pytest-examples:          {kinds['inline']}")
    for page, count in sorted(per_page.items()):
        print(f"  {count:4d}  {page}")


if __name__ == "__main__":
    main()
