"""The reason a member reads when a removed review's points are reversed (en and ru)."""

from __future__ import annotations

from loyalist.ledger.reasons import render


def test_a_review_reversal_names_the_product_in_both_languages() -> None:
    params = {"review_id": "R-9001", "sku": "SHOE-42"}
    assert render("reverse_review", params, -35, "en") == (
        "−35 points: your review of SHOE-42 was removed"
    )
    assert render("reverse_review", params, -35, "ru") == (
        "−35 баллов: ваш отзыв о товаре SHOE-42 удалён"
    )
