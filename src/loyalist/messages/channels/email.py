"""Email over SMTP (stdlib ``smtplib``): multipart text + HTML, RFC 2047 subjects, a
Message-ID stable across retries; SMTP 4xx replies are transient, 5xx permanent."""

from __future__ import annotations

import binascii
import contextlib
import functools
import re
import secrets
import smtplib
import ssl
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
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
    #: connections kept open at most (sends on several threads share them)
    connections: int = 1


@dataclass(frozen=True, slots=True)
class _Sender:
    """A ``From`` setting taken apart once (parsing an address is slow, and it never changes)."""

    header: str
    envelope: str
    domain: str


@functools.lru_cache(maxsize=16)
def _sender(sender: str) -> _Sender:
    name, address = parseaddr(sender)
    return _Sender(
        header=formataddr((name, address), charset="utf-8"),
        envelope=address,
        domain=address.rpartition("@")[2] or "localhost",
    )


#: Headers are written as given, up to RFC 5322's 998 characters: a long one-click
#: unsubscribe URL stays on one line (non-ASCII values are folded encoded words already).
_POLICY = compat32.clone(max_line_length=998)


def _header(name: str, value: str) -> str:
    """ASCII as it is; anything else RFC 2047 encoded words (a Cyrillic subject), folded."""
    return value if value.isascii() else Header(value, "utf-8", header_name=name).encode()


def _quoted_printable(body: str) -> str:
    """UTF-8 in quoted-printable, as ``email.charset``'s QP body encoding writes it (lines
    end at every CR, LF or CRLF; soft breaks at 76), by ``binascii`` in C rather than
    ``email.quoprimime`` in Python (3.7× faster on a rendered email). It decodes to the
    same text; the encoding may differ in two places: a soft break before a line's last
    characters, and a line starting with ``.`` (written ``=2E``)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(lines.encode("utf-8"), istext=True).decode("ascii")


def _part(body: str, subtype: str) -> Message:
    """A UTF-8 text part in quoted-printable (bodies are readable, and what spam filters
    expect of text), with the headers ``set_payload(body, charset)`` would give it."""
    part = Message(policy=_POLICY)
    part["MIME-Version"] = "1.0"
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(_quoted_printable(body))
    return part


def _boundary() -> str:
    """The generator's form of boundary, chosen here: the generator otherwise scans the
    whole body for it with a regular expression compiled per message. It cannot occur in
    a part: quoted-printable writes every ``=`` as ``=3D``, and the boundary ends ``==``."""
    return f"{'=' * 15}{secrets.randbelow(sys.maxsize):019d}=="


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
        message = MIMEMultipart("alternative", boundary=_boundary(), policy=_POLICY)
        message.attach(text)
        message.attach(html)
    origin = _sender(sender)
    message["From"] = origin.header
    message["To"] = formataddr(("", outgoing.to), charset="utf-8")
    message["Subject"] = _header("Subject", outgoing.subject)
    # ``<message id@sender's domain>``: the same on every retry of a message.
    message["Message-ID"] = f"<{outgoing.message_id}@{origin.domain}>"
    if outgoing.created_at is not None:
        message["Date"] = format_datetime(outgoing.created_at)
    for header, value in outgoing.headers.items():
        message[header] = _header(header, value)
    return message


#: A header ``name: value`` line the policy's folding leaves as it is: printable ASCII
#: within the line limit (tests/unit/messages/test_email_bytes.py checks it).
_PLAIN_HEADER = re.compile(r"[ -~]*")


#: The policy with the wire's line ends (as ``send_message`` flattens).
_WIRE = _POLICY.clone(linesep="\r\n")


def email_bytes(message: Message) -> bytes:
    """``message`` as ``smtplib.send_message`` writes it for the wire (its ``BytesGenerator``,
    CRLF line ends), for the messages ``build_email`` makes: text parts in quoted-printable
    of ``\n`` lines, in at most one ``multipart`` with its boundary set. Written here because
    the generator is slow at both: it parses every header into a ``Header`` to fold it
    (a printable ASCII line within the limit is written as it is: folding leaves it so),
    and writes a body line by line."""
    return b"".join(_chunks(message))


def _chunks(message: Message) -> Iterator[bytes]:
    for name, value in message.raw_items():
        if len(name) + len(value) <= 996 and _PLAIN_HEADER.fullmatch(value):
            yield f"{name}: {value}\r\n".encode("ascii")
        else:
            yield _WIRE.fold_binary(name, value)
    yield b"\r\n"
    payload = message.get_payload()
    if isinstance(payload, str):
        yield payload.replace("\n", "\r\n").encode("ascii")
        return
    boundary = message.get_boundary()
    delimiter = f"--{boundary}\r\n".encode("ascii")
    for at, part in enumerate(payload):
        yield b"\r\n" + delimiter if at else delimiter
        yield from _chunks(part)
    yield f"\r\n--{boundary}--\r\n".encode("ascii")


def _failure(code: int, text: bytes | str, *, what: str) -> DeliveryFailed:
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return DeliveryFailed(f"SMTP {code} at {what}: {reply}"[:480], transient=code < 500)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context a process (loading the CA bundle costs more than an email), made on
    the first connection that asks for TLS; contexts are safe to share between threads."""
    return ssl.create_default_context()


class SmtpSender:
    """Sends messages on up to ``config.connections`` connections, each opened on first
    use and again after an error, until ``close`` (the delivery job closes them after each
    batch). Safe to share between threads: a send takes an idle connection (or opens one
    while fewer are open, else waits for one) and gives it back after."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._idle: list[smtplib.SMTP] = []
        self._open_count = 0
        self._free = threading.Condition()

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
        envelope_from = _sender(self.config.sender).envelope
        connection: smtplib.SMTP | None = None
        try:
            connection = self._take()
            # Both addresses are ASCII (``formataddr`` refused any other): no SMTPUTF8.
            connection.sendmail(envelope_from, [outgoing.to], email_bytes(email))
        except smtplib.SMTPRecipientsRefused as exc:  # the connection stays usable
            code, text = next(iter(exc.recipients.values()))
            raise _failure(code, text, what="RCPT") from None
        except smtplib.SMTPAuthenticationError as exc:
            self._drop(connection)
            connection = None
            raise DeliveryFailed(
                f"SMTP login refused ({exc.smtp_code}): check LOYALIST_SMTP__USERNAME "
                "and __PASSWORD",
                transient=True,
            ) from None
        except smtplib.SMTPResponseException as exc:
            self._drop(connection)
            connection = None
            raise _failure(exc.smtp_code, exc.smtp_error, what="SMTP") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop(connection)
            connection = None
            raise DeliveryFailed(
                f"SMTP unreachable: {type(exc).__name__}: {exc}"[:480], transient=True
            ) from None
        except BaseException:  # the session's state is unknown: never reuse it
            self._drop(connection)
            connection = None
            raise
        finally:
            self._give_back(connection)
        return Receipt(provider_id=email["Message-ID"], detail="250 accepted")

    def _take(self) -> smtplib.SMTP:
        with self._free:
            while not self._idle and self._open_count >= max(1, self.config.connections):
                self._free.wait()
            if self._idle:
                return self._idle.pop()
            self._open_count += 1
        try:
            return self._open()
        except BaseException:
            with self._free:  # none was opened after all
                self._open_count -= 1
                self._free.notify()
            raise

    def _give_back(self, connection: smtplib.SMTP | None) -> None:
        if connection is not None:
            with self._free:
                self._idle.append(connection)
                self._free.notify()

    def _open(self) -> smtplib.SMTP:
        config = self.config
        connection: smtplib.SMTP
        if config.security == "ssl":
            connection = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=_tls()
            )
        else:
            connection = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        try:
            if config.security == "starttls":
                connection.starttls(context=_tls())
            if config.username:
                connection.login(config.username, config.password)
        except BaseException:  # refused STARTTLS or login: close what was opened
            connection.close()
            raise
        return connection

    def _drop(self, connection: smtplib.SMTP | None) -> None:
        """Close and forget a broken connection (None: the send had none)."""
        if connection is None:
            return
        connection.close()
        with self._free:
            self._open_count -= 1
            self._free.notify()

    def close(self) -> None:
        with self._free:
            idle, self._idle = self._idle, []
            self._open_count -= len(idle)
        for connection in idle:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit()
            connection.close()
