"""Review tests reuse the API fixtures (keys, admin headers, client)."""

from tests.api.conftest import admin, client, keys  # noqa: F401
