"""The NPS survey link over HTTP: GET shows a 0–10 form in the member's language and never
records; POST records one ``survey.answered`` event for the member (a second answer is
ignored); a bad score or a forged link is a problem."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.messages import service as messages
from tests.api.conftest import assert_problem
from tests.integration.messaging import enrol

MEMBERS = "/api/v1/members"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _link(app: Loyalist, *, locale: str = "en") -> str:
    member = enrol(app, "M1", email="anna@example.com", locale=locale)
    return messages.survey_link(member, "nps-A-1")


def _answers(client: TestClient, admin: dict[str, str]) -> list[dict[str, Any]]:
    items = client.get(f"{MEMBERS}/M1/timeline", headers=admin).json()["items"]
    return [item for item in items if item["type"] == "survey.answered"]


class TestSurveyPage:
    def test_get_shows_the_form_with_the_links_score_and_records_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        link = _link(app)

        page = client.get(f"{link}?score=7")

        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-store"
        assert "How likely are you to recommend us to a friend?" in page.text
        assert page.text.count('name="score"') == 11
        assert 'value="7" required checked' in page.text
        assert 'value="6" required>' in page.text
        assert _answers(client, admin) == []

    def test_the_page_speaks_the_members_language(self, app: Loyalist, client: TestClient) -> None:
        link = _link(app, locale="ru")
        page = client.get(link).text
        assert '<html lang="ru">' in page
        assert "Насколько вероятно, что вы порекомендуете нас другу?" in page


class TestSurveyAnswer:
    def test_post_records_the_answer_once_through_the_events(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        link = _link(app)

        first = client.post(link, content="score=9", headers=FORM)
        second = client.post(link, content="score=3", headers=FORM)

        assert first.status_code == 200, first.text
        assert "Thank you for your answer!" in first.text
        assert second.status_code == 200
        [answer] = _answers(client, admin)
        assert answer["data"] == {
            "survey_id": "nps-A-1",
            "score": 9,
            "channel": "email",
            "comment_length": 0,
            "first_answer": True,  # what ingestion adds, as to the shop's report
        }
        page = client.get(link).text
        assert "Thank you for your answer!" in page
        assert 'name="score"' not in page

    def test_the_thanks_is_in_russian_for_a_russian_member(
        self, app: Loyalist, client: TestClient
    ) -> None:
        link = _link(app, locale="ru")
        assert "Спасибо за ваш ответ!" in client.post(link, content="score=10", headers=FORM).text

    def test_a_score_outside_0_to_10_is_a_problem_and_records_nothing(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        link = _link(app)

        for body in ("score=11", "score=-1", "score=seven", "", "score=1&score=2"):
            response = client.post(link, content=body, headers=FORM)
            assert_problem(response, 422, "survey_answer_invalid", "/score")
        assert_problem(client.get(f"{link}?score=11"), 422, "request_invalid", "#query/score")
        assert _answers(client, admin) == []

    def test_a_score_of_other_digits_is_a_problem_not_a_server_error(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        link = _link(app)

        # str.isdigit() holds for these, int() refuses them (a superscript two; more
        # digits than int() reads).
        for body in ("score=%C2%B2", "score=" + "0" * 5000, "score=%D9%A3"):
            response = client.post(link, content=body, headers=FORM)
            assert_problem(response, 422, "survey_answer_invalid", "/score")
        assert _answers(client, admin) == []

    def test_a_forged_or_tampered_link_is_a_404_problem(
        self, app: Loyalist, client: TestClient
    ) -> None:
        link = _link(app)
        tampered = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
        unsubscribe = messages.unsubscribe_url("", 1, "msg_1").replace("unsubscribe", "surveys")

        assert_problem(client.get(tampered), 404, "survey_link_invalid")
        assert_problem(client.get(unsubscribe), 404, "survey_link_invalid")
        assert_problem(
            client.post("/surveys/abc.def", content="score=5", headers=FORM),
            404,
            "survey_link_invalid",
        )

    def test_a_long_survey_id_is_answered_once_too(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        member = enrol(app, "M1", email="anna@example.com")
        survey = "nps-" + "x" * 124  # the longest survey id an event carries
        link = messages.survey_link(member, survey)

        client.post(link, content="score=6", headers=FORM)
        client.post(link, content="score=6", headers=FORM)

        [answer] = _answers(client, admin)
        assert (answer["data"]["survey_id"], answer["data"]["score"]) == (survey, 6)
        assert answer["id"].startswith("survey-link:")
        assert len(answer["id"]) <= 128
