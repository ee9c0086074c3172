"""Every code example on the AI Engineer Roadmap: one module each, grouped by stage.

Each module runs on its own with `python -m snippets.<stage>.<example>` and has a test
under `tests/` that runs it against the local Messages API double (or, with `--live`,
the real API).
"""
