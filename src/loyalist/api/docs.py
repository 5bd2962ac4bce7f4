"""The Swagger UI page at ``/docs`` without inline script (its start-up is
``/docs/swagger-init.js``), so it works under a Content-Security-Policy without
'unsafe-inline' (``api.edge.DOCS_CSP``). Served unless ``LOYALIST_API__DOCS=false``."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.responses import HTMLResponse, Response

_SWAGGER = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"

PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalist API</title>
<link rel="stylesheet" href="{_SWAGGER}/swagger-ui.css">
<link rel="icon" href="https://fastapi.tiangolo.com/img/favicon.png">
</head><body><div id="swagger-ui"></div>
<script src="{_SWAGGER}/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-init.js"></script>
</body></html>
"""

INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""


def install_docs(api: FastAPI) -> None:
    @api.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return HTMLResponse(PAGE)

    @api.get("/docs/swagger-init.js", include_in_schema=False)
    async def docs_init() -> Response:
        return Response(INIT, media_type="text/javascript")
