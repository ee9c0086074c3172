"""Run the double by hand.

python -m tests.double [--port 8788] [--responses tests]
"""

import argparse
import logging
import threading
from pathlib import Path

from .server import ClaudeDouble

KEY = "key-for-the-local-double"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.double",
        description="Serve the local Claude double until Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=8788, help="0 picks a free port")
    parser.add_argument(
        "--responses",
        type=Path,
        default=Path("tests"),
        help="folder searched for responses/*.yml at any depth (default: tests)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    double = ClaudeDouble(args.responses, port=args.port).start()
    print(f"export ANTHROPIC_BASE_URL={double.base_url}")
    print(f"export ANTHROPIC_API_KEY={KEY}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()


if __name__ == "__main__":
    main()
