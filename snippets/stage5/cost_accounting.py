"""Cost accounting from usage, and prompt caching measured before and after.

Every response says what it consumed in `usage`: uncached input tokens, tokens
written to the prompt cache, tokens read from it, and output tokens. Each kind
has its own price, so the cost of a request is computed from all four, with the
one price table the site keeps (`snippets.stage1.pricing`, dated and sourced;
prices change, so check it before you quote a number). On the 5.5 models the
output tokens include the model's thinking, billed at the output price even when
the thinking text is omitted; `usage.output_tokens_details` says how many. A
ledger adds requests up by feature, which is the figure a product owner asks for.

The measurement: the same five questions about the 4,000-token support policy,
once with the policy sent plainly and once with it marked as a cache breakpoint
(Stage 2). Same answers, different bill. The cache discounts input only, so the
thinking costs the same either way.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import anthropic
from anthropic.types import Message, TextBlockParam, Usage

from snippets.stage1.pricing import BATCH_DISCOUNT, PRICES_CHECKED_ON, cost_usd
from snippets.stage2.prompt_caching import DRAFTER, cached_system
from snippets.stage2.support_policy import load_policy

MODEL = "claude-sonnet-5-5"

client = anthropic.Anthropic()


# --8<-- [start:ledger]
@dataclass(frozen=True)
class RequestCost:
    feature: str
    model: str
    input_tokens: int  # uncached input only; the API counts cache tokens apart
    cache_write_tokens: int
    cache_read_tokens: int
    output_tokens: int  # thinking included, as the API bills it
    thinking_tokens: int  # the share of output_tokens spent thinking
    usd: float


def request_cost(
    feature: str, model: str, usage: Usage, batch: bool = False
) -> RequestCost:
    """Price one request from its usage; `model` is the name you asked for."""
    usd = cost_usd(model, usage) * (BATCH_DISCOUNT if batch else 1.0)
    details = usage.output_tokens_details
    return RequestCost(
        feature,
        model,
        usage.input_tokens,
        usage.cache_creation_input_tokens or 0,
        usage.cache_read_input_tokens or 0,
        usage.output_tokens,
        details.thinking_tokens if details else 0,
        usd,
    )


@dataclass
class Ledger:
    requests: list[RequestCost] = field(default_factory=list)

    def record(
        self, feature: str, model: str, message: Message, batch: bool = False
    ) -> RequestCost:
        cost = request_cost(feature, model, message.usage, batch)
        self.requests.append(cost)
        return cost

    @property
    def total_usd(self) -> float:
        return sum(request.usd for request in self.requests)

    def by_feature(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for request in self.requests:
            totals[request.feature] += request.usd
        return dict(totals)


# --8<-- [end:ledger]

QUESTIONS = [
    "A customer's parcel has not moved for eleven business days. What do we offer?",
    "Can a customer send back a knife they have already used?",
    "How long does a refund take to reach the customer's bank?",
    "Which items can we not ship to a parcel locker?",
    "What does the knife sharpening subscription cost per month?",
]


# --8<-- [start:measure]
def ask_all(questions: list[str], cached: bool, ledger: Ledger) -> None:
    """The same requests either way; only the cache breakpoint differs."""
    system: list[TextBlockParam] = cached_system(load_policy(), DRAFTER)
    if not cached:
        system = [{"type": "text", "text": block["text"]} for block in system]
    for question in questions:
        message = client.messages.create(
            model=MODEL,
            max_tokens=1024,  # the thinking, then a reply of two or three sentences
            # Stated, not left to the model's default (high on Sonnet 5.5): thinking
            # is billed as output, so the effort moves the bill. These answers are
            # in the policy, and low effort is enough to look them up.
            output_config={"effort": "low"},
            system=system,
            messages=[{"role": "user", "content": question}],
        )
        ledger.record("cached" if cached else "plain", MODEL, message)


# --8<-- [end:measure]


def main() -> None:
    ledger = Ledger()
    ask_all(QUESTIONS, cached=False, ledger=ledger)
    ask_all(QUESTIONS, cached=True, ledger=ledger)
    print(f"prices checked on {PRICES_CHECKED_ON}")
    print("output counts the thinking tokens, billed at the output price")
    header = f"{'input':>6} {'written':>7} {'read':>6} {'output':>6} {'thinking':>8}"
    print(f"{'run':<7} {header}  cost")
    for r in ledger.requests:
        print(
            f"{r.feature:<7} {r.input_tokens:>6} {r.cache_write_tokens:>7} "
            f"{r.cache_read_tokens:>6} {r.output_tokens:>6} {r.thinking_tokens:>8}"
            f"  ${r.usd:.5f}"
        )
    totals = ledger.by_feature()
    saving = 1 - totals["cached"] / totals["plain"]
    print(f"plain:  ${totals['plain']:.5f} for {len(QUESTIONS)} questions")
    print(f"cached: ${totals['cached']:.5f} for {len(QUESTIONS)} questions")
    print(f"saving: {saving:.0%}")


if __name__ == "__main__":
    main()
