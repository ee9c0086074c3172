"""Stage 1: the model as a component (calls, sampling, streaming, tokens, retries, structured output)."""
