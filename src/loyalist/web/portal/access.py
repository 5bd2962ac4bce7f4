"""Signing in to the portal and out of it: the shop's signed link for its logged-in
customer (``/portal/enter``), the emailed single-use link (``/portal/sign-in``, then
``/portal/sign-in/{token}``), and sign-out.

Every sign-in ends the session the browser came with and opens one under a new id, in the
``loyalist_member_session`` cookie (HttpOnly, SameSite=Lax; ``__Host-`` and Secure unless
the deployment is plain-HTTP loopback development). The sign-in form answers the same
whether or not the address belongs to a member, and is throttled per address and per
client.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from limits import parse, storage, strategies
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from loyalist.api.deps import app_of, client_ip, write
from loyalist.audit.models import Actor, ActorKind
from loyalist.db.uow import UnitOfWork
from loyalist.logs import request_id
from loyalist.members import policy, sessions
from loyalist.members import service as members
from loyalist.members.errors import MemberErasedError, SignInLinkInvalidError
from loyalist.messages import service as messages
from loyalist.messages.contexts import TemplateKey
from loyalist.messages.models import MessageChannel, MessageKind
from loyalist.messages.rendering import message_locale
from loyalist.settings import Settings
from loyalist.web.portal import kit

router = kit.portal_router()
log = logging.getLogger("loyalist.portal.sign_in")

#: The journey name sign-in emails are logged under in the delivery log.
SIGN_IN_JOURNEY = "portal_sign_in"
#: Sign-in links sent for one address at most (several members may share one).
_MOST_MEMBERS = 3
_HOME = "/portal/"


def _actor(request: Request, member: str | None = None) -> Actor:
    return Actor(
        ActorKind.MEMBER,
        id=member,
        label=None,
        ip=client_ip(request),
        request_id=request_id.get(),
    )


def _signed_in(request: Request, opened: sessions.Opened, target: str = _HOME) -> Response:
    """Where a sign-in lands, with the new session's cookie."""
    settings = app_of(request).settings
    response = RedirectResponse(target, status_code=303)
    max_age = int((opened.expires_at - app_of(request).clock.now()).total_seconds())
    response.set_cookie(
        kit.session_cookie(settings),
        opened.session_id,
        max_age=max(0, max_age),
        path="/",
        secure=settings.staff.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


def _next(target: str | None) -> str:
    """Only a portal page may follow a sign-in (never another site)."""
    if target and target.startswith("/portal/") and not target.startswith("/portal//"):
        return target
    return _HOME


def refused(request: Request, reason: str, status: int) -> Response:
    """The clear page of a link that does not work."""
    return kit.public_page(request, "portal/refused.html.j2", {"reason": reason}, status=status)


def checked_member(request: Request) -> tuple[str | None, str]:
    """The member a signed link (``member``, ``expires``, ``signature`` in the query)
    names, or None with the reason (a :class:`~loyalist.members.policy.LinkProblem`)."""
    settings = app_of(request).settings
    query = request.query_params
    member = query.get("member", "")
    problem = policy.check_link(
        settings.portal.link_secret.get_secret_value(),
        member,
        query.get("expires", ""),
        query.get("signature", ""),
        now=app_of(request).clock.now(),
        longest=timedelta(minutes=settings.portal.link_max_minutes),
    )
    if problem is not None:
        log.info("signed link refused: %s", problem.value)
        return None, problem.value
    return member, ""


@router.get("/enter")
async def enter(request: Request) -> Response:
    """The shop's signed link for its logged-in customer: a session for them (enrolled
    if new), then their home page (or ``next``, a portal page)."""
    member, reason = checked_member(request)
    if member is None:
        return refused(request, reason, 403 if reason != "expired" else 410)
    app = app_of(request)
    config = kit.session_config(app.settings)
    replaces = request.cookies.get(kit.session_cookie(app.settings))
    actor = _actor(request, member)
    try:
        opened = await write(
            request,
            lambda uow: sessions.enter_by_link(uow, member, config, actor, replaces=replaces),
        )
    except MemberErasedError:
        return refused(request, "erased", 403)
    return _signed_in(request, opened, _next(request.query_params.get("next")))


@router.get("/sign-in")
async def sign_in_form(request: Request) -> Response:
    """The form asking for the email address to send a sign-in link to."""
    return kit.public_page(request, "portal/sign_in.html.j2", {"sent": False, "email": ""})


class _Throttle:
    """Sign-in emails asked per address (its blind index, member or not) and per client,
    in moving windows: past either, the form answers 429 before looking anything up."""

    def __init__(self, settings: Settings) -> None:
        found = settings.portal
        self._limiter = strategies.MovingWindowRateLimiter(
            storage.storage_from_string(settings.staff.throttle_storage)
        )
        self._email = parse(found.sign_ins_per_email)
        self._ip = parse(found.sign_ins_per_ip)

    def admit(self, email_key: str, ip: str) -> int | None:
        """Count the attempt; the seconds to wait when it is over a limit, else None."""
        for item, keys in ((self._email, ("email", email_key)), (self._ip, ("ip", ip))):
            if not self._limiter.hit(item, "portal_sign_in", *keys):
                reset = self._limiter.get_window_stats(item, "portal_sign_in", *keys).reset_time
                return max(1, int(reset - datetime.now(UTC).timestamp()) + 1)
        return None


def _throttle(request: Request) -> _Throttle:
    state = request.app.state
    found = getattr(state, "portal_sign_in_throttle", None)
    if not isinstance(found, _Throttle):
        found = _Throttle(app_of(request).settings)
        state.portal_sign_in_throttle = found
    return found


@router.post("/sign-in")
async def send_sign_in_link(request: Request) -> Response:
    """Email a single-use sign-in link to every member (a few at most) with this address,
    through the outbox as a transactional message (logged like any other). The answer is
    the same whether or not the address is a member's."""
    form = await request.form()
    email = str(form.get("email", "")).strip()[:320]
    locale = kit.page_locale(request)
    if "@" not in email or "\x00" in email:
        shown = {"sent": False, "email": email, "invalid": True}
        return kit.public_page(request, "portal/sign_in.html.j2", shown, status=422)
    wait = _throttle(request).admit(members.email_index(email), client_ip(request) or "unknown")
    if wait is not None:
        shown = {"sent": False, "email": email, "wait_minutes": max(1, (wait + 59) // 60)}
        return kit.public_page(request, "portal/sign_in.html.j2", shown, status=429)
    app = app_of(request)
    base = app.settings.messages.base_url
    lifetime = timedelta(minutes=app.settings.portal.sign_in_minutes)
    program = app.settings.program

    def op(uow: UnitOfWork) -> int:
        found = [m for m in members.find_members_by_email(uow, email) if m.erased_at is None]
        drafts = []
        for member in found[:_MOST_MEMBERS]:
            token = sessions.issue_sign_in_token(uow, member.id, lifetime)
            drafts.append(
                messages.MessageDraft(
                    member_id=member.id,
                    kind=MessageKind.TRANSACTIONAL,
                    channel=MessageChannel.EMAIL,
                    journey=SIGN_IN_JOURNEY,
                    natural_key=f"sign_in:{sessions.digest(token)[:32]}",
                    template_key=TemplateKey.PORTAL_SIGN_IN.value,
                    locale=message_locale(member.locale or locale, program.default_locale),
                    time_zone=member.timezone or program.timezone,
                    context={
                        "member": {
                            "first_name": members.profile(uow, member).first_name or "",
                            "points_balance": 0,
                            "tier": None,
                        },
                        "link": f"{base}/portal/sign-in/{token}",
                        "valid_minutes": app.settings.portal.sign_in_minutes,
                    },
                    is_in_inbox=False,
                )
            )
        return len(messages.queue_messages(uow, drafts))

    queued = await write(request, op)
    log.info("portal sign-in asked: %d link(s) queued", queued)
    return kit.public_page(request, "portal/sign_in.html.j2", {"sent": True, "email": email})


@router.get("/sign-in/{token}")
async def redeem(request: Request, token: str) -> Response:
    """An emailed link: used once, within its lifetime; then the member's home page."""
    app = app_of(request)
    config = kit.session_config(app.settings)
    replaces = request.cookies.get(kit.session_cookie(app.settings))
    actor = _actor(request)
    if len(token) > 100:
        return refused(request, "sign_in_invalid", 410)
    try:
        opened = await write(
            request,
            lambda uow: sessions.redeem_sign_in_token(uow, token, config, actor, replaces=replaces),
        )
    except SignInLinkInvalidError:
        return refused(request, "sign_in_invalid", 410)
    return _signed_in(request, opened)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    """End the session at once; HTMX is sent to the sign-in page."""
    await kit.visitor(request)
    app = app_of(request)
    session_id = request.cookies.get(kit.session_cookie(app.settings), "")
    await write(request, lambda uow: sessions.end_session(uow, session_id))
    response = Response(status_code=204, headers={"HX-Redirect": "/portal/sign-in"})
    response.delete_cookie(kit.session_cookie(app.settings), path="/")
    return response
