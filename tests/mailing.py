"""Fixtures of the messages tests, loaded by ``tests/conftest.py`` (``pytest_plugins``): a
real SMTP server on loopback and an application that sends its email there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.settings import ProgramPolicy
from tests.integration.messaging import mail_app
from tests.smtp import SmtpSink, running_sink


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """An aiosmtpd server on 127.0.0.1 keeping what it receives (modules testing other
    receivers define their own ``sink``)."""
    with running_sink() as running:
        yield running


@pytest.fixture
def mailing_app(
    db_url: str, clock: ManualClock, program: ProgramPolicy, sink: SmtpSink
) -> Iterator[Loyalist]:
    """The application with its SMTP host set to ``sink``."""
    loyalist = mail_app(db_url, clock, program, sink.port)
    yield loyalist
    loyalist.close()
