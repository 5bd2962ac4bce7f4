"""Regressions found in review of issue 5 (NPS report parameters), on both databases."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.clock import ManualClock
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, bearer
from tests.integration.nps_dataset import load

URL = "/api/v1/insights/nps"


@pytest.mark.parametrize(
    "params",
    [{"to": "9999-12-31"}, {"from": "0001-01-01", "to": "9999-12-31"}, {"from": "0001-01-01"}],
)
def test_nps_dates_at_the_calendar_edges_mean_no_bound_not_a_500(
    client: TestClient, app: Loyalist, clock: ManualClock, keys: Keys, params: dict[str, str]
) -> None:
    load(app, clock)
    whole = client.get(URL, headers=bearer(keys.of(Scope.INSIGHTS_READ)))
    response = client.get(URL, params=params, headers=bearer(keys.of(Scope.INSIGHTS_READ)))
    assert response.status_code == 200, response.text
    assert response.json()["total"] == whole.json()["total"]
    assert response.json()["total"]["responses"] > 0
