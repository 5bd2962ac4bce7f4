"""The packing note over HTTP: a printable page in the member's language (with a tip for what
was bought and a recommendation), and a PDF of it whose text (Cyrillic included) is really
in the file."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from starlette.testclient import TestClient

from loyalist.bootstrap import Loyalist
from loyalist.recommendations.policy import RecommendationSettings
from loyalist.staff.models import Scope
from tests.api.conftest import Keys, assert_problem, bearer
from tests.conftest import START, event, order_body
from tests.integration.helpers import send
from tests.integration.messaging import enrol, pay_order, post_purchase_on

ORDERS = "/api/v1/orders"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class TestPackingNote:
    def test_html_thanks_the_member_in_english_with_the_orders_points(
        self, app: Loyalist, client: TestClient, keys: Keys
    ) -> None:
        enrol(app, "M1", first_name="Anna", locale="en")
        pay_order(app, "M1", "A-1", START)

        response = client.get(
            f"{ORDERS}/A-1/packing-note", headers=bearer(keys.of(Scope.MESSAGES_READ))
        )

        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        html = response.text
        assert html.startswith("<!DOCTYPE html>")
        assert "Thank you, Anna!" in html
        assert "We packed order A-1 with care" in html
        assert "110&nbsp;points" in html  # the default program: 1 point per euro
        assert "@page" in html  # the print layout (A5)

    def test_html_in_russian_for_a_russian_member(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M2", first_name="Мария", locale="ru")
        pay_order(app, "M2", "B-7", START)

        html = client.get(f"{ORDERS}/B-7/packing-note?format=html", headers=admin).text

        assert '<html lang="ru">' in html
        assert "Спасибо, Мария!" in html
        assert "110&nbsp;баллов" in html

    def test_pdf_carries_the_members_name_in_cyrillic(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M2", first_name="Мария", locale="ru")
        pay_order(app, "M2", "B-7", START)

        response = client.get(f"{ORDERS}/B-7/packing-note?format=pdf", headers=admin)

        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        text = _pdf_text(response.content)
        assert "Спасибо, Мария!" in text
        assert "B-7" in text

    def test_pdf_in_english(self, app: Loyalist, client: TestClient, admin: dict[str, str]) -> None:
        enrol(app, "M1", first_name="Anna", locale="en")
        pay_order(app, "M1", "A-1", START)

        response = client.get(f"{ORDERS}/A-1/packing-note?format=pdf", headers=admin)

        assert "Thank you, Anna!" in _pdf_text(response.content)

    def test_unknown_order_is_a_404_problem(
        self, client: TestClient, admin: dict[str, str]
    ) -> None:
        response = client.get(f"{ORDERS}/nope/packing-note", headers=admin)
        assert_problem(response, 404, "order_not_found")

    def test_an_unknown_format_is_a_422_with_a_pointer(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        enrol(app, "M1")
        pay_order(app, "M1", "A-1", START)
        response = client.get(f"{ORDERS}/A-1/packing-note?format=docx", headers=admin)
        assert_problem(response, 422, "request_invalid", "#query/format")

    def test_needs_the_messages_read_scope(self, client: TestClient, keys: Keys) -> None:
        response = client.get(
            f"{ORDERS}/A-1/packing-note", headers=bearer(keys.of(Scope.POINTS_READ))
        )
        assert_problem(response, 403, "permission_denied")

    def test_shows_a_tip_for_what_was_bought_and_a_recommendation(
        self, app: Loyalist, client: TestClient, admin: dict[str, str]
    ) -> None:
        post_purchase_on(app)
        enrol(app, "M1", first_name="Anna")
        for n in range(6):  # others bought laces with their shoes
            body = order_body(f"O-{n}", ("shoe", 1, 5000), ("laces", 1, 300))
            send(
                app,
                event(f"O-{n}-placed", "order.placed", f"O{n}", START, **body),
                event(f"O-{n}-paid", "order.paid", f"O{n}", START, order_id=f"O-{n}"),
            )
        body = order_body("A-1", ("shoe", 1, 5000))
        body["lines"][0]["category"] = "shoes"
        send(
            app,
            event("A-1-placed", "order.placed", "M1", START, **body),
            event("A-1-paid", "order.paid", "M1", START, order_id="A-1"),
        )
        app.refresh_recommendations(RecommendationSettings(factors=4, iterations=3))

        html = client.get(f"{ORDERS}/A-1/packing-note", headers=admin).text

        assert "Thank you, Anna!" in html
        assert "<strong>Let them breathe.</strong> Rest leather shoes a day." in html
        assert "You might also like" in html
        assert "Laces" in html

    def test_an_edited_note_is_the_one_printed_and_fetches_no_file_of_the_server(
        self, app: Loyalist, client: TestClient, admin: dict[str, str], tmp_path: Path
    ) -> None:
        """The template is editable (PUT /templates/packing_note/…): the note uses the
        live version, and its PDF fetches nothing but its fonts and the brand's logo (a
        ``<link rel="attachment">`` would otherwise embed any file the server can read)."""
        secret = tmp_path / "secret.txt"
        secret.write_text("not for the warehouse")
        enrol(app, "M1", first_name="Anna", locale="en")
        pay_order(app, "M1", "A-1", START)
        html = (
            "<p>Packed for {{ member.first_name }}</p>"
            f'<link rel="attachment" href="{secret.as_uri()}">'
        )
        edited = client.put("/api/v1/templates/packing_note/en", json={"html": html}, headers=admin)
        assert edited.status_code == 201, edited.text

        page = client.get(f"{ORDERS}/A-1/packing-note", headers=admin).text
        pdf = client.get(f"{ORDERS}/A-1/packing-note?format=pdf", headers=admin).content

        assert "Packed for Anna" in page
        assert "Packed for Anna" in _pdf_text(pdf)
        assert list(PdfReader(io.BytesIO(pdf)).attachments) == []
