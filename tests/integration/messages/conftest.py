"""Fixtures of the channel tests: a loopback HTTP sink and an httpx client to reach it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from loyalist.messages.channels.http import new_client
from tests.integration.messages.sink import Sink, running_sink


@pytest.fixture
def sink() -> Iterator[Sink]:
    with running_sink() as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with new_client(5.0) as made:
        yield made
