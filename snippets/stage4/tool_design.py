"""Tool design: contracts, errors as observations, idempotency, timeouts, confirmation.

The model only knows a tool by its name, its description and its input schema, so
those are written for a reader who has nothing else. Everything a tool receives is
checked against its schema before it runs. Every way a call can fail comes back to
the model as a `tool_result` with `is_error: true` and a message that says what to do
next, so the loop keeps going and the model can recover. Calls with side effects carry
an idempotency key derived from the conversation and the input, and the key is reserved
(insert-if-absent, state "pending") before the money moves, so a retry that arrives
while a timed-out call is still running cannot pay again. Each call has a deadline.
Calls that move money or cannot be undone wait for a person to say yes. The customer's
ticket reaches the model inside a fence it cannot close.
"""

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from anthropic.types import ToolParam, ToolResultBlockParam, ToolUseBlock
from jsonschema import Draft202012Validator

from snippets.stage1.fence import FENCE_RULE, fence
from snippets.stage4.agent_loop import AgentRun, run_agent, tool_error

log = logging.getLogger(__name__)

POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tool")

Confirm = Callable[[str, dict[str, object]], bool]


# --8<-- [start:contract]
class ToolFailure(Exception):
    """An expected failure, worded for the model: what went wrong, what to do next."""


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    input_schema: dict[str, object]
    handler: Callable[..., str]
    timeout_s: float = 5.0
    side_effect: bool = False  # the handler gets an `idempotency_key`
    needs_confirmation: bool = False  # a person approves each call: money, no undo

    def __post_init__(self) -> None:
        Draft202012Validator.check_schema(self.input_schema)  # fail at start-up

    def definition(self) -> ToolParam:
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema,
        }


# --8<-- [end:contract]


# --8<-- [start:toolbox]
@dataclass
class ToolBox:
    tools: list[Tool]
    confirm: Confirm  # asked before every call of a tool that needs confirmation
    conversation_id: str
    by_name: dict[str, Tool] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {tool.name: tool for tool in self.tools}

    def definitions(self) -> list[ToolParam]:
        return [tool.definition() for tool in self.tools]

    def execute(self, call: ToolUseBlock) -> ToolResultBlockParam:
        try:
            content = self.run(call.name, call.input)
        except ToolFailure as exc:
            return tool_error(call, str(exc))
        return {"type": "tool_result", "tool_use_id": call.id, "content": content}

    def run(self, name: str, arguments: dict[str, object]) -> str:
        tool = self.by_name.get(name)
        if tool is None:
            known = ", ".join(self.by_name)
            raise ToolFailure(f"There is no tool named {name!r}. Use one of: {known}.")

        validator = Draft202012Validator(tool.input_schema)
        problems = [
            f"{'.'.join(map(str, error.absolute_path)) or 'input'}: {error.message}"
            for error in validator.iter_errors(arguments)
        ]
        if problems:
            raise ToolFailure(
                f"Invalid input for {name}: {'; '.join(problems)}. "
                "Correct the input and call the tool again."
            )

        if tool.needs_confirmation and not self.confirm(name, arguments):
            raise ToolFailure(
                f"A person declined {name} with this input. Do not retry it; "
                "tell the user the action was not taken."
            )

        kwargs = dict(arguments)
        if tool.side_effect:
            kwargs["idempotency_key"] = self.idempotency_key(name, arguments)
        future = POOL.submit(tool.handler, **kwargs)
        try:
            return future.result(timeout=tool.timeout_s)
        except TimeoutError:
            raise ToolFailure(
                f"{name} did not finish within {tool.timeout_s:g}s, so its outcome "
                "is unknown. Check with a read-only tool before repeating a change."
            ) from None
        except ToolFailure:
            raise
        except Exception:
            log.exception("tool %s raised", name)  # the details stay in your logs
            raise ToolFailure(
                f"{name} failed with an internal error that your input did not "
                "cause. Do not retry; tell the user to try again later."
            ) from None

    def idempotency_key(self, name: str, arguments: dict[str, object]) -> str:
        """Same conversation, same tool, same input: same key, so it runs once."""
        canonical = json.dumps(arguments, sort_keys=True, separators=(",", ":"))
        text = f"{self.conversation_id}|{name}|{canonical}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


# --8<-- [end:toolbox]


# --8<-- [start:desk]
@dataclass
class Order:
    id: str
    item: str
    total_cents: int
    status: str  # "processing", "shipped", "delivered" or "cancelled"
    refunded_cents: int = 0


class Payments:
    """The payment provider: the one place money leaves the shop."""

    def __init__(self) -> None:
        self.payouts: list[tuple[str, int, str]] = []  # order, cents, idempotency key

    def refund(self, order_id: str, amount_cents: int, idempotency_key: str) -> None:
        self.payouts.append((order_id, amount_cents, idempotency_key))


class OrderDesk:
    """The order and payment systems the support agent acts on."""

    def __init__(self, payments: Payments | None = None) -> None:
        self.payments = payments or Payments()
        self.orders = {
            order.id: order
            for order in (
                Order("A-1001", "Standing desk", 42000, "processing"),
                Order("A-1002", "Monitor arm and screen protector", 12900, "delivered"),
            )
        }
        self.refunds: dict[str, dict[str, object]] = {}  # by idempotency key
        self.lock = threading.Lock()  # makes check-and-reserve one step

    def order(self, order_id: str) -> Order:
        if order_id not in self.orders:
            raise ToolFailure(f"No order {order_id}. Ask the user for the order id.")
        return self.orders[order_id]

    def refundable_cents(self, order: Order) -> int:
        """What is left to refund, counting refunds still in flight as spent."""
        pending = sum(
            int(refund["amount_cents"])  # type: ignore[call-overload]
            for refund in self.refunds.values()
            if refund["order_id"] == order.id and refund["status"] == "pending"
        )
        return order.total_cents - order.refunded_cents - pending

    def lookup_order(self, order_id: str) -> str:
        order = self.order(order_id)
        refundable = self.refundable_cents(order)
        return json.dumps(order.__dict__ | {"refundable_cents": refundable})

    def issue_refund(
        self, order_id: str, amount_cents: int, reason: str, idempotency_key: str
    ) -> str:
        with self.lock:  # reserve the key before any money moves
            known = self.refunds.get(idempotency_key)
            if known is not None and known["status"] == "pending":
                raise ToolFailure(
                    f"Refund {known['refund_id']} with this input is still being "
                    "processed. Do not call issue_refund again; tell the user it is "
                    "under way."
                )
            if known is not None:  # a repeat of a finished refund: report it
                return json.dumps(known | {"repeated": True})
            order = self.order(order_id)
            refundable = self.refundable_cents(order)
            if amount_cents > refundable:
                raise ToolFailure(
                    f"{amount_cents} cents is more than the {refundable} cents still "
                    f"refundable on {order_id}."
                )
            refund: dict[str, object] = {
                "refund_id": f"R-{len(self.refunds) + 1}",
                "order_id": order_id,
                "amount_cents": amount_cents,
                "status": "pending",
            }
            self.refunds[idempotency_key] = refund
        # The side effect, outside the lock. If it raises, the key stays pending:
        # the outcome is unknown, and a person settles it, not a retry.
        self.payments.refund(order_id, amount_cents, idempotency_key)
        with self.lock:
            order.refunded_cents += amount_cents
            refund["status"] = "paid"
            return json.dumps(refund)

    def cancel_order(self, order_id: str, idempotency_key: str) -> str:
        order = self.order(order_id)
        if order.status not in ("processing", "cancelled"):
            raise ToolFailure(
                f"{order_id} is {order.status} and can no longer be cancelled. "
                "Offer a refund instead."
            )
        order.status = "cancelled"
        return json.dumps({"order_id": order_id, "status": order.status})


# --8<-- [end:desk]


# --8<-- [start:tools]
ORDER_ID = {
    "type": "string",
    "pattern": "^A-[0-9]{4}$",
    "description": "Order id as the customer sees it, such as A-1001.",
}


def support_tools(desk: OrderDesk, timeout_s: float = 5.0) -> list[Tool]:
    return [
        Tool(
            name="lookup_order",
            description=(
                "Look up one order: item, total, status and how much can still be "
                "refunded. Call this before any refund or cancellation. Read-only."
            ),
            input_schema={
                "type": "object",
                "properties": {"order_id": ORDER_ID},
                "required": ["order_id"],
                "additionalProperties": False,
            },
            handler=desk.lookup_order,
            timeout_s=timeout_s,
        ),
        Tool(
            name="issue_refund",
            description=(
                "Refund money for an order to the original payment method. Use "
                "after lookup_order, for at most the refundable amount. amount_cents "
                "is a whole number of cents: 49.00 is 4900. A person approves every "
                "refund. Repeating the same call in this conversation does not pay "
                "twice."
            ),
            input_schema={
                "type": "object",
                "properties": {
                    "order_id": ORDER_ID,
                    "amount_cents": {"type": "integer", "minimum": 1},
                    "reason": {
                        "type": "string",
                        "enum": ["damaged", "late", "wrong_item", "other"],
                    },
                },
                "required": ["order_id", "amount_cents", "reason"],
                "additionalProperties": False,
            },
            handler=desk.issue_refund,
            timeout_s=timeout_s,
            side_effect=True,
            needs_confirmation=True,  # money leaves the shop
        ),
        Tool(
            name="cancel_order",
            description=(
                "Cancel an order that has not shipped. Cannot be undone, so a person "
                "confirms every call. For shipped or delivered orders, refund instead."
            ),
            input_schema={
                "type": "object",
                "properties": {"order_id": ORDER_ID},
                "required": ["order_id"],
                "additionalProperties": False,
            },
            handler=desk.cancel_order,
            timeout_s=timeout_s,
            side_effect=True,
            needs_confirmation=True,
        ),
    ]


# --8<-- [end:tools]


# --8<-- [start:confirm]
def ask_operator(name: str, arguments: dict[str, object]) -> bool:
    """Ask the person at the terminal. No answer (no terminal) means no."""
    try:
        answer = input(f"Allow {name} {json.dumps(arguments)}? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() == "y"


# --8<-- [end:confirm]

SUPPORT_SYSTEM = (
    "You are a support agent for an online furniture shop. Resolve the customer's "
    "request with the tools, then tell them in two sentences what you did. "
    f"{FENCE_RULE}"
)


def handle_ticket(
    text: str, desk: OrderDesk, ticket_id: str, confirm: Confirm = ask_operator
) -> AgentRun:
    box = ToolBox(support_tools(desk), confirm=confirm, conversation_id=ticket_id)
    return run_agent(
        [{"role": "user", "content": fence(text, "customer ticket")}],
        system=SUPPORT_SYSTEM,
        tools=box.definitions(),
        execute=box.execute,
    )


def main() -> None:
    desk = OrderDesk()
    run = handle_ticket(
        "Order A-1002 arrived with a cracked screen protector. "
        "Please refund the 49.00 I paid for it.",
        desk,
        ticket_id="T-5521",
    )
    print(run.answer)
    print(f"stop={run.stop} refunds={list(desk.refunds.values())}")


if __name__ == "__main__":
    main()
