"""Fast JSON responses (orjson: datetimes as ISO 8601)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def success(model: Any, example: Any, description: str = "Success") -> dict[str, Any]:
    """An OpenAPI success answer for ``responses={status: ...}``: its schema (a Pydantic
    model or ``list[Model]``; None keeps the route's ``response_model``), a description and
    one example answer. Documentation only: the route's output is not validated again."""
    answer: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"example": example}},
    }
    if model is not None:
        answer["model"] = model
    return answer


def html_page(example: str, description: str) -> dict[str, Any]:
    """An OpenAPI answer that is an HTML page (the member's public pages), with an example."""
    return {
        "description": description,
        "content": {"text/html": {"schema": {"type": "string"}, "example": example}},
    }


def form_body(fields: dict[str, str], example: dict[str, str]) -> dict[str, Any]:
    """``openapi_extra`` documenting a form body a route reads itself: each field with its
    description, and an example."""
    schema = {
        "type": "object",
        "properties": {name: {"type": "string", "description": d} for name, d in fields.items()},
    }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {"schema": schema, "example": example}
            },
        }
    }


def json_safe(content: Any) -> Any:
    """``content`` as plain JSON types (datetimes become strings), for storing an answer."""
    return orjson.loads(orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS))
