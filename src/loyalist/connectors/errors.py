"""What the connectors refuse, one class per problem."""

from __future__ import annotations

from loyalist.errors import ConflictError, InvalidRequestError, NotFoundError, UnauthorizedError


class ConnectorNotFoundError(NotFoundError):
    """No enabled connector has this key on this platform (or the platform is not supported)."""

    code = "connector_not_found"


class ConnectorExistsError(ConflictError):
    """A connector with this key exists already (keys are unique across platforms)."""

    code = "connector_exists"


class ConnectorSignatureInvalidError(UnauthorizedError):
    """A platform webhook's signature is missing or does not match the connector's secret."""

    code = "connector_signature_invalid"


class ConnectorPayloadInvalidError(InvalidRequestError):
    """A signed platform webhook's body is not JSON or not in the platform's documented shape."""

    code = "connector_payload_invalid"
