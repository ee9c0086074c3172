"""Stage 2: context and prompting.

Budgets, ordering and structure, few-shot examples, chaining, verify-then-act and
prompt caching, on one running case: a kitchenware shop's support policy.
"""
