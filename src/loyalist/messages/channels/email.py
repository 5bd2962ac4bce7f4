"""Email over SMTP (stdlib ``smtplib``): multipart text + HTML, RFC 2047 subjects, a
Message-ID stable across retries; SMTP 4xx replies are transient, 5xx permanent."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr

from loyalist.messages.channels.base import DeliveryFailed, NotConfigured, Outgoing, Receipt


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where email leaves: ``host`` empty means email is not configured. ``security`` is
    ``none``, ``starttls`` or ``ssl``; ``sender`` the From header (``Shop <a@shop.example>``)."""

    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    security: str = "none"
    timeout: float = 10.0


def message_id_header(message_id: str, sender: str) -> str:
    """``<message id@sender's domain>``: the same on every retry of a message."""
    _, address = parseaddr(sender)
    domain = address.rpartition("@")[2] or "localhost"
    return f"<{message_id}@{domain}>"


#: Bodies are UTF-8 in quoted-printable (readable, and what spam filters expect of text).
_BODY = Charset("utf-8")
_BODY.body_encoding = QP
#: Headers are written as given, up to RFC 5322's 998 characters: a long one-click
#: unsubscribe URL stays on one line (non-ASCII values are folded encoded words already).
_POLICY = compat32.clone(max_line_length=998)


def _header(name: str, value: str) -> str:
    """ASCII as it is; anything else RFC 2047 encoded words (a Cyrillic subject), folded."""
    return value if value.isascii() else Header(value, "utf-8", header_name=name).encode()


def _part(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, policy=_POLICY)
    part.set_payload(body, _BODY)
    return part


def build_email(outgoing: Outgoing, sender: str) -> Message:
    """The MIME message: ``multipart/alternative`` (text, then HTML) when there is HTML.
    Non-ASCII headers (a Cyrillic subject, a display name) are RFC 2047 encoded words.

    Built with the classic ``email.mime`` classes rather than ``EmailMessage`` and the
    ``SMTP`` policy: the policy's header registry parses every header it is given, which
    cost more than rendering the message (bench/messages.py); the bytes are the same
    standard MIME."""
    text = _part(outgoing.text or "", "plain")
    message: Message = text
    if outgoing.html:
        html = _part(outgoing.html, "html")
        for part in (text, html):
            del part["MIME-Version"]  # the outer message carries it
        message = MIMEMultipart("alternative", policy=_POLICY)
        message.attach(text)
        message.attach(html)
    name, address = parseaddr(sender)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = formataddr(("", outgoing.to), charset="utf-8")
    message["Subject"] = _header("Subject", outgoing.subject)
    message["Message-ID"] = message_id_header(outgoing.message_id, sender)
    if outgoing.created_at is not None:
        message["Date"] = format_datetime(outgoing.created_at)
    for header, value in outgoing.headers.items():
        message[header] = _header(header, value)
    return message


def _failure(code: int, text: bytes | str, *, what: str) -> DeliveryFailed:
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return DeliveryFailed(f"SMTP {code} at {what}: {reply}"[:480], transient=code < 500)


class SmtpSender:
    """Sends messages on one connection, opened on first use and again after an error,
    until ``close`` (the delivery job closes it after each batch). Safe to share between
    threads (one send at a time)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._connection: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def send(self, outgoing: Outgoing) -> Receipt:
        """Raises:
        NotConfigured: no SMTP host is set.
        DeliveryFailed: transient for 4xx replies, timeouts and connection errors (and a
            login the server refused: a setting to fix, not a reason to lose mail);
            permanent for other 5xx replies.
        """
        if not self.config.host:
            raise NotConfigured("no SMTP host: set LOYALIST_SMTP__HOST")
        email = build_email(outgoing, self.config.sender)
        _, envelope_from = parseaddr(self.config.sender)
        with self._lock:
            try:
                connection = self._open()
                connection.send_message(email, from_addr=envelope_from, to_addrs=[outgoing.to])
            except smtplib.SMTPRecipientsRefused as exc:  # the connection stays usable
                code, text = next(iter(exc.recipients.values()))
                raise _failure(code, text, what="RCPT") from None
            except smtplib.SMTPAuthenticationError as exc:
                self._drop()
                raise DeliveryFailed(
                    f"SMTP login refused ({exc.smtp_code}): check LOYALIST_SMTP__USERNAME "
                    "and __PASSWORD",
                    transient=True,
                ) from None
            except smtplib.SMTPResponseException as exc:
                self._drop()
                raise _failure(exc.smtp_code, exc.smtp_error, what="SMTP") from None
            except (smtplib.SMTPException, OSError) as exc:
                self._drop()
                raise DeliveryFailed(
                    f"SMTP unreachable: {type(exc).__name__}: {exc}"[:480], transient=True
                ) from None
        return Receipt(provider_id=email["Message-ID"], detail="250 accepted")

    def _open(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        config = self.config
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if config.security == "ssl":
            connection = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            if config.security == "starttls":
                connection.starttls(context=context)
        if config.username:
            connection.login(config.username, config.password)
        self._connection = connection
        return connection

    def _drop(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    self._connection.quit()
                self._drop()
