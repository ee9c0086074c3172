"""Stage 1: the model as a component.

Calls, sampling, streaming, tokens, retries and structured output.
"""
