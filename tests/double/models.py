"""What the double knows about each model: names from the SDK, facts from the table.

Model names come from the installed SDK (`anthropic/types/model.py`) and its
deprecations from `anthropic/_data/deprecated_models.py`. Everything else (output
limits, context windows, cache minimums, thinking and effort defaults, prefill) is a
row of `behaviour.yml`, with the page it was read on; these functions only ask it.
"""

import re
from typing import get_args

from anthropic._constants import ANTHROPIC_API_VERSION
from anthropic._data import DEPRECATED_MODELS
from anthropic.types.model import Model

from . import behaviour

KNOWN_MODELS: tuple[str, ...] = get_args(get_args(Model)[0])
DEPRECATED: dict[str, str] = dict(DEPRECATED_MODELS)
SDK_VERSION = ANTHROPIC_API_VERSION  # the `anthropic-version` the installed SDK sends


def base_name(model: str) -> str:
    """The model without its snapshot date: `claude-haiku-4-5-20251001` -> `...-4-5`."""
    return re.sub(r"-\d{8}$", "", model)


def fact(key: str, model: str, version: str = SDK_VERSION):
    """The value of the first behaviour row for `key` that covers the model."""
    return behaviour.value(key, model, version)


def max_output_tokens(model: str) -> int:
    return fact("limits.max_output", model)


def context_window(model: str) -> int:
    return fact("limits.context_window", model)


def cache_minimum(model: str) -> int:
    """Shortest prefix, in tokens, that a cache breakpoint can write."""
    return fact("cache.minimum", model)


def accepts_prefill(model: str) -> bool:
    return fact("prefill", model) == "accepted"


def accepts_any_sampling(model: str, version: str) -> bool:
    """Before 2026-10-21: whether any in-range `temperature`/`top_p`/`top_k` works."""
    return fact("sampling.any_value", model, version) is True


def thinks_by_default(model: str) -> bool:
    return fact("thinking.default", model) == "adaptive"


def default_effort(model: str) -> str:
    return fact("effort.default", model)
