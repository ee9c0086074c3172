"""What the SDK's request types say: fields, required fields and union tags.

The double reads the shape of every request object from the SDK it is tested with,
once for the Messages API and once for its beta flavour (requests that carry an
`anthropic-beta` header, such as the tool runner's), so it never drifts from them.
"""

from dataclasses import dataclass
from typing import (
    Annotated,
    Any,
    Literal,
    Required,
    get_args,
    get_origin,
    get_type_hints,
)

import anthropic.types as t
import anthropic.types.beta as b
from typing_extensions import is_typeddict  # the SDK's TypedDicts come from here

# Sent as headers by the SDK, never in the body.
HEADER_PARAMS = {"betas", "user_profile_id", "workspace_id"}

Shape = tuple[tuple[str, ...], set[str]]  # (required fields, all fields)


def literals(hint: Any) -> tuple[str, ...]:
    """The string literals inside a type hint (through Required, Optional, Union)."""
    if get_origin(hint) is Literal:
        return tuple(v for v in get_args(hint) if isinstance(v, str))
    return tuple(v for arg in get_args(hint) for v in literals(arg))


def _members(union: Any) -> list[type]:
    """The classes of a union, through `Annotated` wrappers."""
    if get_origin(union) is Annotated:
        return _members(get_args(union)[0])
    args = get_args(union)
    return [m for arg in args for m in _members(arg)] if args else [union]


def shape(cls: type) -> Shape:
    hints = get_type_hints(cls, include_extras=True)
    required = tuple(k for k, h in hints.items() if get_origin(h) is Required)
    return required, set(hints)


def field_literals(cls: type, field: str) -> tuple[str, ...]:
    return literals(get_type_hints(cls, include_extras=True)[field])


def tagged(union: Any) -> dict[str, Shape]:
    """Map each `type` tag of a union of TypedDicts to that member's shape.

    Response models inside a request union (blocks sent back as received) are left
    to `_with_response_fields`.
    """
    return {
        tag: shape(cls)
        for cls in _members(union)
        if is_typeddict(cls)
        for tag in field_literals(cls, "type")
    }


def _with_response_fields(shapes: dict[str, Shape], response: Any) -> dict[str, Shape]:
    """Blocks from a response may be sent back as they are (`MessageContentParam`)."""
    for cls in _members(response):
        tag = literals(cls.model_fields["type"].annotation)[0]
        if tag in shapes:
            required, fields = shapes[tag]
            shapes[tag] = (required, fields | set(cls.model_fields))
    return shapes


@dataclass(frozen=True)
class Api:
    create_params: set[str]
    count_params: set[str]
    roles: tuple[str, ...]
    blocks: dict[str, Shape]
    tool_result_blocks: dict[str, Shape]
    text_block: Shape
    custom_tool: Shape
    tools: dict[str, Shape]
    tool_choices: dict[str, Shape]
    thinking: dict[str, Shape]
    cache_control: Shape
    output_config: Shape
    output_format: Shape
    metadata: Shape
    diagnostics: Shape
    efforts: tuple[str, ...]
    service_tiers: tuple[str, ...]
    speeds: tuple[str, ...]
    threads: dict[str, Shape]


def _read(create: type, thread: Any = None, **parts: Any) -> Api:
    """Build an `Api` from the SDK classes of one flavour of the Messages API."""
    roles = [
        r for cls in _members(parts["message"]) for r in field_literals(cls, "role")
    ]
    return Api(
        create_params=(set(get_type_hints(create)) - HEADER_PARAMS) | {"stream"},
        count_params=set(get_type_hints(parts["count"])) - HEADER_PARAMS,
        roles=tuple(roles),
        blocks=_with_response_fields(tagged(parts["block"]), parts["response_block"]),
        tool_result_blocks=tagged(parts["tool_result_content"]),
        text_block=shape(parts["text_block"]),
        custom_tool=shape(parts["tool"]),
        tools=tagged(parts["tool_union"]),
        tool_choices=tagged(parts["tool_choice"]),
        thinking=tagged(parts["thinking"]),
        cache_control=shape(parts["cache_control"]),
        output_config=shape(parts["output_config"]),
        output_format=shape(parts["output_format"]),
        metadata=shape(parts["metadata"]),
        diagnostics=shape(parts["diagnostics"]),
        efforts=field_literals(parts["output_config"], "effort"),
        service_tiers=field_literals(create, "service_tier"),
        speeds=field_literals(create, "speed"),
        threads=tagged(thread) if thread is not None else {},
    )


STANDARD = _read(
    create=t.message_create_params.MessageCreateParamsBase,
    count=t.message_count_tokens_params.MessageCountTokensParams,
    message=t.message_param.MessageParam,
    block=t.content_block_param.ContentBlockParam,
    response_block=t.content_block.ContentBlock,
    tool_result_content=t.tool_result_block_param.Content,
    text_block=t.TextBlockParam,
    tool=t.ToolParam,
    tool_union=t.ToolUnionParam,
    tool_choice=t.ToolChoiceParam,
    thinking=t.ThinkingConfigParam,
    cache_control=t.CacheControlEphemeralParam,
    output_config=t.OutputConfigParam,
    output_format=t.JSONOutputFormatParam,
    metadata=t.MetadataParam,
    diagnostics=t.DiagnosticsParam,
)

BETA = _read(
    create=b.message_create_params.MessageCreateParamsBase,
    count=b.message_count_tokens_params.MessageCountTokensParams,
    message=b.BetaMessageParam,
    block=b.BetaContentBlockParam,
    response_block=b.beta_content_block.BetaContentBlock,
    tool_result_content=b.beta_tool_result_block_param.Content,
    text_block=b.BetaTextBlockParam,
    tool=b.BetaToolParam,
    tool_union=b.BetaToolUnionParam,
    tool_choice=b.BetaToolChoiceParam,
    thinking=b.BetaThinkingConfigParam,
    cache_control=b.BetaCacheControlEphemeralParam,
    output_config=b.BetaOutputConfigParam,
    output_format=b.BetaJSONOutputFormatParam,
    metadata=b.BetaMetadataParam,
    diagnostics=b.BetaDiagnosticsParam,
    thread=b.BetaMessageThreadParam,
)
