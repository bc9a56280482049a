"""The frames a client may send on /ws/play/, validated at the edge (protocol 5)."""

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_FRAME_BYTES = 16 * 1024


class ClientFrame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Hello(ClientFrame):
    type: Literal["hello"]
    token: Annotated[str, Field(min_length=1, max_length=200)]
    last_seq: Annotated[int, Field(ge=0)] | None = None


class ActionFrame(ClientFrame):
    type: Literal["action"]
    id: Annotated[str, Field(min_length=1, max_length=64)]
    action: Annotated[str, Field(min_length=1, max_length=64)]
    params: dict[str, Any] = Field(default_factory=dict)


class Ready(ClientFrame):
    type: Literal["ready"]
    seq: Annotated[int, Field(ge=0)]


class Ping(ClientFrame):
    type: Literal["ping"]


AnyFrame = Annotated[Hello | ActionFrame | Ready | Ping, Field(discriminator="type")]
_adapter: TypeAdapter[Hello | ActionFrame | Ready | Ping] = TypeAdapter(AnyFrame)


class BadFrame(ValueError):
    """What was wrong with a frame, with the field at fault when there is one."""

    def __init__(self, message: str, field: str | None = None, id: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.id = id


MAX_DEPTH = 8


def _refuse_constant(name: str) -> Any:
    raise BadFrame(f"frame holds {name}, which is not a JSON number")


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed frame."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse(text: str | None) -> Hello | ActionFrame | Ready | Ping:
    """The frame as a model, or BadFrame saying what was wrong."""
    if text is None:
        raise BadFrame("frames must be JSON text, not binary")
    if len(text.encode()) > MAX_FRAME_BYTES:
        raise BadFrame(f"frame too large: at most {MAX_FRAME_BYTES} bytes")
    try:
        raw = json.loads(text, parse_constant=_refuse_constant)
    except BadFrame:
        raise
    except ValueError:
        raise BadFrame("frame is not valid JSON") from None
    except RecursionError:
        raise BadFrame(f"frame nested too deeply: at most {MAX_DEPTH} levels") from None
    if _depth(raw) > MAX_DEPTH:
        raise BadFrame(f"frame nested too deeply: at most {MAX_DEPTH} levels")
    if not isinstance(raw, dict):
        raise BadFrame("frame must be a JSON object")
    if "type" not in raw:
        raise BadFrame("frame has no type", "type")
    client_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    try:
        return _adapter.validate_python(raw)
    except ValidationError as error:
        raise _bad_frame(error, client_id) from None


def _bad_frame(error: ValidationError, client_id: str | None) -> BadFrame:
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    if first["type"] == "union_tag_invalid":
        return BadFrame(
            "unknown frame type {!r}".format(first["input"].get("type")), "type"
        )
    # The first part of a location is the frame type the union picked.
    field = ".".join(location[1:]) or None
    if first["type"] == "missing":
        return BadFrame(f"missing field {field}", field, client_id)
    if first["type"] == "extra_forbidden":
        return BadFrame(f"unexpected field {field}", field, client_id)
    return BadFrame("field {}: {}".format(field, first["msg"]), field, client_id)
