"""Stage 5: the reliability layer: evals, judges, tracing, guardrails and cost."""
