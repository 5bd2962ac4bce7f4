"""The campaign builder's audience estimate as the console shows it: exact figures plainly,
an estimate from a sample as "≈ N (±M, sample of K members)" with each figure's interval,
in English and Russian (Babel's number formats and plural forms)."""

from __future__ import annotations

from loyalist.campaigns.schemas import CountRange, Estimate, EstimateSample
from loyalist.web.templating import environment

_EXCLUDED = {"global_holdout": 0, "no_consent": 118_800, "suppressed": 0, "unreachable": 30_000}
ESTIMATED = Estimate(
    members=300_000,
    channels={"email": 151_200, "sms": 67_200, "push": 0},
    control=15_120,
    excluded=_EXCLUDED,
    is_exact=False,
    sample=EstimateSample(
        size=5_000,
        population=1_000_000,
        confidence=0.95,
        members=CountRange(low=287_400, high=312_900),
        channels={
            "email": CountRange(low=141_500, high=161_400),
            "sms": CountRange(low=60_500, high=74_500),
            "push": CountRange(low=0, high=800),
        },
    ),
)
EXACT = Estimate(
    members=15,
    channels={"email": 12, "sms": 0, "push": 0},
    control=1,
    excluded={"global_holdout": 0, "no_consent": 3, "suppressed": 0, "unreachable": 0},
    is_exact=True,
)


def _shown(estimate: Estimate, locale: str) -> str:
    template = environment(locale).get_template("console/campaigns/estimate.html.j2")
    html = template.render({"estimate": estimate, "channel": "email", "errors": {}})
    return " ".join(html.split())


def test_an_estimate_shows_its_margin_and_sample_in_english() -> None:
    shown = _shown(ESTIMATED, "en")

    assert 'data-exact="false"' in shown
    assert (
        "≈ 151,200</strong> (±10,200, sample of 5,000 members) members reachable by email now,"
        " about 15,120 of them in the control group." in shown
    )
    assert '≈ 300,000 <span class="muted">(287,400–312,900)</span>' in shown
    assert "the launch counts every member." in shown
    assert "Left out: no consent</dt><dd>≈ 118,800" in shown


def test_an_estimate_in_russian() -> None:
    shown = _shown(ESTIMATED, "ru").replace("\xa0", " ")

    assert (
        "≈ 151 200</strong> (±10 200, выборка из 5 000 участников) участников доступны по "
        "каналу email сейчас, из них около 15 120 в контрольной группе." in shown
    )
    assert "Не вошли: нет согласия</dt><dd>≈ 118 800" in shown
    assert "интервалом 95%;" in shown


def test_exact_figures_are_shown_plainly() -> None:
    shown = _shown(EXACT, "en")

    assert 'data-exact="true"' in shown
    assert (
        '<strong data-estimate="12">12</strong> members reachable by email now, about 1 of them'
        in shown
    )
    assert "≈" not in shown
    assert "sample" not in shown
