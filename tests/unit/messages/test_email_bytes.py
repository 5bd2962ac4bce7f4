"""The bytes an email is sent as: what ``smtplib.send_message`` would write for the same
message (its ``BytesGenerator``), for any subject, body and headers; bodies in
quoted-printable that decodes to the text as written (the encoding is ``binascii``'s, not
``email.quoprimime``'s: they may place a soft break apart, never decode apart)."""

from __future__ import annotations

import io
import quopri
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import Message

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalist.messages.channels.base import Outgoing
from loyalist.messages.channels.email import _quoted_printable, build_email, email_bytes

SENDER = "Магазин <loyalty@shop.example>"

#: Text as templates and members write it: any letters, line ends of every kind, the
#: characters quoted-printable treats apart (``=``, spaces and tabs before a line end).
texts = st.text(
    alphabet=st.sampled_from(list("ab yz.=-\t\n\r\u00a0é€ж😀\x0b\x85\u2028"))
    | st.characters(codec="utf-8"),
    max_size=400,
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("жé"),
    max_size=1200,
)


def stock_bytes(message: Message) -> bytes:
    """What ``smtplib.SMTP.send_message`` writes (``BytesGenerator``, CRLF)."""
    out = io.BytesIO()
    BytesGenerator(out, policy=message.policy).flatten(message, linesep="\r\n")
    return out.getvalue()


@settings(max_examples=100)
@given(
    subject=header_values,
    text=texts,
    html=st.none() | texts,
    unsubscribe=header_values,
    to=st.sampled_from(["anna@example.com", "a.b+tag@sub.example.org"]),
)
def test_writes_what_send_message_would_write(
    subject: str, text: str, html: str | None, unsubscribe: str, to: str
) -> None:
    outgoing = Outgoing(
        message_id="msg_0123456789abcdef01234567",
        channel="email",
        to=to,
        subject=subject,
        text=text,
        html=html,
        headers={"List-Unsubscribe": unsubscribe, "List-Unsubscribe-Post": "List-Unsubscribe"},
        created_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    )
    message = build_email(outgoing, SENDER)

    assert email_bytes(message) == stock_bytes(message)


@settings(max_examples=200)
@given(texts)
def test_quoted_printable_decodes_to_the_text_with_its_line_ends_as_newlines(text: str) -> None:
    encoded = _quoted_printable(text)

    assert encoded.isascii()
    assert all(len(line) <= 76 for line in encoded.split("\n"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    assert quopri.decodestring(encoded.encode("ascii")) == lines.encode("utf-8")
