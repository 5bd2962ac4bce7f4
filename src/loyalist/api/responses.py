"""Fast JSON responses (orjson: datetimes as ISO 8601)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel
from starlette.responses import Response

T = TypeVar("T")


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def json_safe(content: Any) -> Any:
    """``content`` as plain JSON types (datetimes become strings), for storing an answer."""
    return orjson.loads(orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS))


class Items(BaseModel, Generic[T]):
    """A list answer: ``{"items": [...]}`` (room for paging fields beside it)."""

    items: list[T]

    @classmethod
    def model_parametrized_name(cls, params: tuple[Any, ...]) -> str:
        return f"{getattr(params[0], '__name__', 'Item')}List"
