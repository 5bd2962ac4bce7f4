"""Fast JSON responses (orjson: datetimes as ISO 8601)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JsonResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def json_safe(content: Any) -> Any:
    """``content`` as plain JSON types (datetimes become strings), for storing an answer."""
    return orjson.loads(orjson.dumps(content, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS))
