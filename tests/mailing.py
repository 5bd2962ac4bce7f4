"""Fixtures of the messages tests, loaded by ``tests/conftest.py`` (``pytest_plugins``): a
real SMTP server on loopback, an application that sends its email there, and a loopback
HTTP receiver for webhooks and SMS or push providers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.integration.messages.sink import Sink
from tests.integration.messages.sink import running_sink as running_http_sink
from tests.integration.messaging import mail_app
from tests.smtp import SmtpSink, running_sink


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """An aiosmtpd server on 127.0.0.1 keeping what it receives."""
    with running_sink() as running:
        yield running


@pytest.fixture
def http_sink() -> Iterator[Sink]:
    """A loopback HTTP receiver checking what webhooks and SMS or push providers get."""
    with running_http_sink() as running:
        yield running


@pytest.fixture
def mailing_app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    """The application with its SMTP host set to ``sink``."""
    loyalist = mail_app(db_url, clock, program, sink.port)
    yield loyalist
    loyalist.close()
