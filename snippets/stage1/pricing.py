"""One price table for every cost figure on this site.

Prices change, so the table says when it was checked and where the figures come
from; every cost the site shows is computed from it, never typed into a page.
All prices are US dollars per million tokens.
"""

from dataclasses import dataclass

import anthropic

PRICES_CHECKED_ON = "2026-11-25"
PRICES_SOURCE = (
    "Anthropic's pricing page, https://platform.claude.com/docs/en/about-claude/pricing"
)

# Message Batches cost half the standard price, input and output alike.
BATCH_DISCOUNT = 0.5


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cache_write: float  # writing a 5-minute cache entry
    cache_write_1h: float  # writing a 1-hour cache entry
    cache_read: float


@dataclass(frozen=True)
class ModelPrices:
    standard: Price
    long_prompt: Price | None = None  # applies above long_prompt_threshold tokens
    long_prompt_threshold: int = 0


# --8<-- [start:table]
PRICES: dict[str, ModelPrices] = {
    "claude-opus-5-5": ModelPrices(
        standard=Price(
            input=4.00,
            output=20.00,
            cache_write=5.00,
            cache_write_1h=8.00,
            cache_read=0.20,
        ),
    ),
    "claude-sonnet-5-5": ModelPrices(
        standard=Price(
            input=2.00,
            output=10.00,
            cache_write=2.50,
            cache_write_1h=4.00,
            cache_read=0.10,  # 0.05x input since 2026-10-07 (release notes)
        ),
    ),
    "claude-haiku-5-5": ModelPrices(
        standard=Price(
            input=0.10,
            output=0.50,
            cache_write=0.125,
            cache_write_1h=0.20,
            cache_read=0.01,
        ),
        long_prompt=Price(
            input=0.50,
            output=2.50,
            cache_write=0.625,
            cache_write_1h=1.00,
            cache_read=0.05,
        ),
        long_prompt_threshold=100_000,
    ),
}
# --8<-- [end:table]


class UnknownPrice(KeyError):
    """No price on file for a model: better to fail than to report $0."""


# --8<-- [start:cost]
def cost_usd(model: str, usage: anthropic.types.Usage) -> float:
    """The price of one request, from the usage the API returned."""
    if model not in PRICES:
        raise UnknownPrice(f"no price on file for {model!r}; add it to PRICES")
    prices = PRICES[model]
    cache_write = usage.cache_creation_input_tokens or 0
    # Writes to a 1-hour cache entry cost more; usage says how many there were.
    cache_write_1h = (
        usage.cache_creation.ephemeral_1h_input_tokens if usage.cache_creation else 0
    )
    cache_read = usage.cache_read_input_tokens or 0
    prompt = usage.input_tokens + cache_write + cache_read
    price = prices.standard
    if prices.long_prompt and prompt > prices.long_prompt_threshold:
        price = prices.long_prompt
    per_token = (
        usage.input_tokens * price.input
        + (cache_write - cache_write_1h) * price.cache_write
        + cache_write_1h * price.cache_write_1h
        + cache_read * price.cache_read
        + usage.output_tokens * price.output
    )
    return per_token / 1_000_000


# --8<-- [end:cost]


def main() -> None:
    print(f"Prices checked on {PRICES_CHECKED_ON}: {PRICES_SOURCE}.")
    for model, prices in PRICES.items():
        p = prices.standard
        print(f"{model}: ${p.input:.2f} in / ${p.output:.2f} out per million tokens")


if __name__ == "__main__":
    main()
