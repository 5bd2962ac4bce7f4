"""Staff sign-in for browsers (JSON; the console's pages come later): the password step,
the two-factor step, enrolment in two factors, who is signed in, sign-out.

The session lives in the ``__Host-loyalist_session`` cookie (Secure, HttpOnly,
SameSite=Lax, Path=/); its id changes at every step. Every unsafe request made with the
cookie sends the session's CSRF token in ``X-CSRF-Token``. Sign-in itself takes only a JSON
body (FastAPI reads no other content type as one, and a cross-site form cannot send JSON
without the browser asking first), so another site cannot sign a browser in to an account
of its choosing.

Passwords are verified (argon2id) on the thread pool, outside any unit of work.
"""

from __future__ import annotations

import logging
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from loyalist.api.deps import (
    GuardedRoute,
    app_of,
    client_ip,
    read,
    session_config,
    session_cookie,
    staff_session,
    write,
)
from loyalist.api.errors import CsrfFailedError, SignInThrottledError
from loyalist.api.problems import problem_responses
from loyalist.api.responses import JsonResponse
from loyalist.api.throttle import SignInGuard
from loyalist.audit.models import Actor, ActorKind
from loyalist.db.uow import UnitOfWork
from loyalist.logs import request_id
from loyalist.staff import service, sessions, two_factor, users
from loyalist.staff.errors import (
    ReauthenticationFailedError,
    SessionMissingError,
    SignInFailedError,
    TwoFactorAlreadyEnrolledError,
    TwoFactorCodeInvalidError,
    TwoFactorEnrolmentNotStartedError,
    TwoFactorEnrolmentRequiredError,
    TwoFactorLockedError,
    TwoFactorNotPendingError,
    TwoFactorRequiredError,
)
from loyalist.staff.models import SessionStage
from loyalist.staff.passwords import Hasher
from loyalist.staff.schemas import (
    EnrolmentCode,
    EnrolmentRead,
    PasswordConfirmation,
    RecoveryCodesRead,
    SessionRead,
    SignIn,
    TwoFactorCode,
)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=GuardedRoute)
log = logging.getLogger("loyalist.staff.sign_in")

_SESSION = (SessionMissingError, CsrfFailedError)
_ANY_STAGE = frozenset(SessionStage)
_ENROLLING = frozenset({SessionStage.ENROLMENT, SessionStage.COMPLETE})


class SessionStarted(BaseModel):
    """A session after a step: where the sign-in stands and the CSRF token to send back."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stage": "two_factor",
                    "csrf_token": "3q2-7Vx0bC9rT1kYgA5mZw",
                    "expires_at": "2026-03-08T18:15:00Z",
                }
            ]
        }
    )

    stage: SessionStage
    csrf_token: str
    expires_at: datetime


def _actor(request: Request, user_id: int | None, name: str | None = None) -> Actor:
    return Actor(
        ActorKind.STAFF,
        id=str(user_id) if user_id is not None else None,
        label=name,
        ip=client_ip(request),
        request_id=request_id.get(),
    )


def _started(request: Request, opened: sessions.Opened) -> Response:
    """The answer to a step: the new session's state, and its id in the cookie."""
    body = SessionStarted(
        stage=opened.stage, csrf_token=opened.csrf_token, expires_at=opened.expires_at
    )
    response = JsonResponse(body.model_dump(mode="json"))
    _set_cookie(request, response, opened)
    return response


def _set_cookie(request: Request, response: Response, opened: sessions.Opened) -> None:
    settings = app_of(request).settings.staff
    max_age = int((opened.expires_at - app_of(request).clock.now()).total_seconds())
    response.set_cookie(
        session_cookie(settings),
        opened.session_id,
        max_age=max(0, max_age),
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )


def _guard(request: Request) -> SignInGuard:
    guard: SignInGuard = request.app.state.sign_in_guard
    return guard


def _hasher(request: Request) -> Hasher:
    hasher: Hasher = request.app.state.password_hasher
    return hasher


@router.post(
    "/sign-in",
    response_model=SessionStarted,
    responses=problem_responses(SignInFailedError, SignInThrottledError),
)
async def sign_in(body: SignIn, request: Request) -> Response:
    """The password step. Unknown email, wrong password and a disabled user get the same
    answer (``sign_in_failed``) in about the same time; repeated failures per account or
    address answer 429 with Retry-After. A session cookie sent along is ended: the id
    always changes."""
    app = app_of(request)
    guard = _guard(request)
    account = service.staff_email_index(body.email)
    ip = client_ip(request) or "unknown"
    guard.admit(ip, account)
    found = await read(request, lambda uow: sessions.credentials(uow, body.email))
    hasher = _hasher(request)
    matched = await run_in_threadpool(hasher.verify, found.password_hash, body.password)
    actor = _actor(request, found.user_id)
    if not matched or not found.is_active or found.user_id is None:
        guard.failed(ip, account)
        await write(request, lambda uow: sessions.record_failed_sign_in(uow, found.user_id, actor))
        log.info("sign-in failed: staff user %s from %s", found.user_id or "unknown", ip)
        raise SignInFailedError(sessions.FAILED)
    user_id = found.user_id
    rehash = None
    if found.password_hash is not None and hasher.needs_rehash(found.password_hash):
        rehash = await run_in_threadpool(hasher.hash, body.password)
    config = session_config(app.settings)
    replaces = request.cookies.get(session_cookie(app.settings.staff))

    def op(uow: UnitOfWork) -> sessions.Outcome:
        return sessions.open_session(
            uow, user_id, config, actor, replaces=replaces, new_hash=rehash
        )

    outcome = await write(request, op)
    if outcome.refusal is not None:
        guard.failed(ip, account)
        raise outcome.refusal
    guard.succeeded(account)
    assert outcome.opened is not None
    log.info("password step passed: staff user %s, now %s", user_id, outcome.opened.stage)
    return _started(request, outcome.opened)


@router.post(
    "/two-factor",
    response_model=SessionStarted,
    responses=problem_responses(
        *_SESSION,
        TwoFactorCodeInvalidError,
        TwoFactorLockedError,
        TwoFactorNotPendingError,
        TwoFactorEnrolmentRequiredError,
    ),
)
async def verify_two_factor(body: TwoFactorCode, request: Request) -> Response:
    """The second step: a code of the authenticator (this time step or a neighbour, never
    one used before) or an unused recovery code. The session gets a new id. Wrong codes
    lock the step after a few tries and the user is told by email."""
    current = await staff_session(request, _ANY_STAGE)
    config = session_config(app_of(request).settings)
    actor = _actor(request, current.user_id, current.name)

    def op(uow: UnitOfWork) -> sessions.Outcome:
        return two_factor.verify_second_step(
            uow, current, config, actor, code=body.code, recovery_code=body.recovery_code
        )

    outcome = await write(request, op)
    if outcome.refusal is not None:
        raise outcome.refusal
    assert outcome.opened is not None
    return _started(request, outcome.opened)


@router.post(
    "/sign-out",
    status_code=204,
    responses=problem_responses(*_SESSION),
)
async def sign_out(request: Request) -> Response:
    """End the session at once (at any step of the sign-in)."""
    current = await staff_session(request, _ANY_STAGE)
    actor = _actor(request, current.user_id, current.name)
    await write(request, lambda uow: sessions.end_session(uow, current.id_hash, actor))
    response = Response(status_code=204)
    settings = app_of(request).settings.staff
    response.delete_cookie(
        session_cookie(settings),
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get("/me", response_model=SessionRead, responses=problem_responses(SessionMissingError))
async def me(request: Request) -> Response:
    """The signed-in user, the session's stage and CSRF token, and their permissions."""
    current = await staff_session(request, _ANY_STAGE)
    user = await read(request, lambda uow: users.read_user(users.get_user(uow, current.user_id)))
    shown = SessionRead(
        user=user,
        stage=current.stage,
        csrf_token=current.csrf_token,
        permissions=sorted(p.value for p in current.permissions),
        expires_at=current.expires_at,
    )
    return JsonResponse(shown.model_dump(mode="json"))


async def _reauthenticated(request: Request, current: sessions.Current, password: str) -> None:
    """The password again, throttled like sign-in (per user and address).

    Raises:
        ReauthenticationFailedError, SignInThrottledError.
    """
    guard = _guard(request)
    account = f"staff:{current.user_id}"
    ip = client_ip(request) or "unknown"
    guard.admit(ip, account)
    stored = await read(request, lambda uow: users.get_user(uow, current.user_id).password_hash)
    if not await run_in_threadpool(_hasher(request).verify, stored, password):
        guard.failed(ip, account)
        raise ReauthenticationFailedError("the password is wrong")


@router.post(
    "/two-factor/enrolment",
    response_model=EnrolmentRead,
    responses=problem_responses(
        *_SESSION,
        TwoFactorRequiredError,
        ReauthenticationFailedError,
        SignInThrottledError,
        TwoFactorAlreadyEnrolledError,
    ),
)
async def start_enrolment(body: PasswordConfirmation, request: Request) -> Response:
    """Start enrolling an authenticator (the password again first): a new 160-bit secret
    as text, as an otpauth URI and as a QR code (SVG). Nothing is active until a code of
    it is confirmed."""
    current = await staff_session(request, _ENROLLING)
    await _reauthenticated(request, current, body.password)
    config = session_config(app_of(request).settings)
    started = await write(
        request, lambda uow: two_factor.start_enrolment(uow, current.user_id, config)
    )
    return JsonResponse(started.model_dump(mode="json"))


@router.post(
    "/two-factor/enrolment/confirm",
    response_model=RecoveryCodesRead,
    responses=problem_responses(
        *_SESSION,
        TwoFactorRequiredError,
        TwoFactorCodeInvalidError,
        TwoFactorEnrolmentNotStartedError,
        TwoFactorAlreadyEnrolledError,
    ),
)
async def confirm_enrolment(body: EnrolmentCode, request: Request) -> Response:
    """Activate the enrolment with one code of the authenticator; answers the ten
    single-use recovery codes (shown this once). A session waiting for enrolment is signed
    in under a new id."""
    current = await staff_session(request, _ENROLLING)
    actor = _actor(request, current.user_id, current.name)
    confirmed = await write(
        request, lambda uow: two_factor.confirm_enrolment(uow, current, body.code, actor)
    )
    shown = RecoveryCodesRead(recovery_codes=confirmed.recovery_codes)
    response = JsonResponse(shown.model_dump(mode="json"))
    if confirmed.opened is not None:
        _set_cookie(request, response, confirmed.opened)
    return response
