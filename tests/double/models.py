"""What the double knows about each model, and where each fact comes from.

Model names come from the SDK (`anthropic/types/model.py`); deprecations from
`anthropic/_data/deprecated_models.py`. Numbers come from platform.claude.com pages;
where no page lists a model, the value is a stated guess.
"""

import re
from typing import get_args

from anthropic._data import DEPRECATED_MODELS
from anthropic.types.model import Model

KNOWN_MODELS: tuple[str, ...] = get_args(get_args(Model)[0])
DEPRECATED: dict[str, str] = dict(DEPRECATED_MODELS)

# The 4.5 generation: 64K max output, prefill and sampling parameters still accepted.
_GENERATION_4_5 = {"claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5"}

# Minimum cacheable prefix, from the "Prompt caching" page as quoted in mid 2026.
_CACHE_MINIMUMS = {
    "claude-opus-5": 512,
    "claude-fable-5": 512,
    "claude-mythos-5": 512,
    "claude-opus-4-8": 1024,
    "claude-sonnet-5": 1024,
    "claude-sonnet-4-6": 1024,
    "claude-sonnet-4-5": 1024,
    "claude-opus-4-7": 2048,
    "claude-mythos-preview": 2048,
    "claude-opus-4-6": 4096,
    "claude-opus-4-5": 4096,
    "claude-haiku-4-5": 4096,
}


def base_name(model: str) -> str:
    """The model without its snapshot date: `claude-haiku-4-5-20251001` -> `...-4-5`."""
    return re.sub(r"-\d{8}$", "", model)


def max_output_tokens(model: str) -> int:
    """The `max_tokens` ceiling: 64K for the 4.5 generation, 128K since (model pages).

    Claude Mythos Preview has no page listing it; 128K is a guess.
    """
    return 64_000 if base_name(model) in _GENERATION_4_5 else 128_000


def cache_minimum(model: str) -> int:
    """Shortest prefix, in tokens, that a cache breakpoint can write.

    The docs list no value for the 5.5 models, Fable 5.1/5.2 and Mythos 5.1/5.2:
    the double assumes 2048 for Haiku and 1024 for the others.
    """
    name = base_name(model)
    return _CACHE_MINIMUMS.get(name, 2048 if "haiku" in name else 1024)


def accepts_prefill(model: str) -> bool:
    """Prefill ends in a 400 from Claude 4.6 on ("What's new in Claude 4.6")."""
    return base_name(model) in _GENERATION_4_5


def accepts_sampling(model: str) -> bool:
    """Whether `temperature`/`top_p`/`top_k` work at all (API version 2023-06-01).

    Opus 4.7 and every later model answer "`temperature` is deprecated for this
    model." (Anthropic migration guide, and the API's own error text).
    """
    return base_name(model) in _GENERATION_4_5 | {
        "claude-opus-4-6",
        "claude-sonnet-4-6",
    }
