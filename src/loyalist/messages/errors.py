"""Problems of messages: a message or an unsubscribe link that does not exist, a bad
unsubscribe request."""

from __future__ import annotations

from loyalist.errors import InvalidRequestError, NotFoundError


class MessageNotFoundError(NotFoundError):
    """The member has no message with this id."""

    code = "message_not_found"


class UnsubscribeLinkInvalidError(NotFoundError):
    """An unsubscribe link's token was not issued by this server or its message is gone."""

    code = "unsubscribe_link_invalid"


class UnsubscribeBodyInvalidError(InvalidRequestError):
    """A one-click unsubscribe POST does not carry the body List-Unsubscribe=One-Click."""

    code = "unsubscribe_body_invalid"
