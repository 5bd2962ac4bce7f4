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


def restore_example_nulls(document: dict[str, Any]) -> None:
    """Put back the ``null`` fields FastAPI drops from examples when it builds the document
    (it encodes the whole document with ``exclude_none``): a required, nullable field left
    out of an example would make the example disagree with its own schema."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        return resolve(schemas[ref.rsplit("/", 1)[-1]]) if ref else schema

    def nullable(schema: dict[str, Any]) -> bool:
        return any(s.get("type") == "null" for s in schema.get("anyOf", ()))

    def fill(value: Any, schema: dict[str, Any]) -> None:
        schema = resolve(schema)
        if isinstance(value, list):
            for item in value:
                fill(item, schema.get("items", {}))
            return
        if not isinstance(value, dict):
            return
        if "anyOf" in schema or "oneOf" in schema:
            for variant in schema.get("anyOf", schema.get("oneOf", ())):
                if resolve(variant).get("type") == "object":
                    fill(value, variant)
            return
        properties = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value and nullable(properties.get(name, {})):
                value[name] = None
        for name, sub in properties.items():
            if name in value:
                fill(value[name], sub)

    for schema in schemas.values():
        for example in schema.get("examples", ()):
            fill(example, schema)
