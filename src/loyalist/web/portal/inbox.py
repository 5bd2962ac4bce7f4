"""``/portal/inbox``: the member's in-app messages, newest first, unread ones marked; a
message is marked read by its button (as the API's ``…/inbox/{id}/read``). The text part
is shown, never the HTML part: the portal renders no HTML it did not write."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse

from loyalist.api.deps import read, write
from loyalist.api.messages import MessageId
from loyalist.db.uow import UnitOfWork
from loyalist.messages import service as messages
from loyalist.messages.schemas import InboxRead
from loyalist.web.portal import kit

router = kit.portal_router()

#: Messages shown (the newest).
SHOWN = 50


@router.get("/inbox")
async def inbox_page(request: Request) -> HTMLResponse:
    """The newest messages with the unread count."""
    who = await kit.visitor(request)

    def op(uow: UnitOfWork) -> InboxRead:
        return messages.inbox(uow, who.member_id, limit=SHOWN)

    return await kit.member_page(
        request, "portal/inbox.html.j2", {"inbox": await read(request, op)}
    )


@router.post("/inbox/{message_id}/read")
async def mark_read(message_id: MessageId, request: Request) -> HTMLResponse:
    """Mark one of the member's messages read (404 ``message_not_found`` for any other)
    and answer its line anew, with the unread count out of band."""
    who = await kit.visitor(request)

    def op(uow: UnitOfWork) -> InboxRead:
        messages.mark_read(uow, who.member_id, message_id)
        return messages.inbox(uow, who.member_id, limit=SHOWN)

    inbox = await write(request, op)
    item = next((m for m in inbox.items if m.id == message_id), None)
    return await kit.member_page(
        request, "portal/inbox_item.html.j2", {"message": item, "inbox": inbox, "oob": True}
    )
