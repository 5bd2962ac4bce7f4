"""Why points moved, in words a member understands, from a stored code and parameters."""

from __future__ import annotations

from typing import Any

from loyalist.i18n import pick_locale, plural

_POINTS = {"en": ("point", "points"), "ru": ("балл", "балла", "баллов")}

#: Russian texts avoid a verb agreeing with the number ("21 балл сгорел" vs "5 баллов
#: сгорело"): the figure stands apart, after a colon or with a plural subject.
#: code -> locale -> template; ``{n}`` is the signed change the member sees, ``{pts}`` its
#: plural noun; ``{count}``/``{count_pts}`` the points the posting moved (for entries that
#: move points the member already counted: maturing, using a hold).
CATALOG: dict[str, dict[str, str]] = {
    "earn_order": {
        "en": "{n} {pts} for order {order_id}",
        "ru": "{n} {pts} за заказ {order_id}",
    },
    "earn_rule": {
        "en": "{n} {pts}: {name}",
        "ru": "{n} {pts}: {name}",
    },
    "earn_tier": {
        "en": "{n} {pts}: {tier} tier bonus",
        "ru": "{n} {pts}: бонус уровня {tier}",
    },
    "earn_quest": {
        "en": "{n} {pts}: quest “{name}” completed",
        "ru": "{n} {pts}: задание «{name}» выполнено",
    },
    "mature": {
        "en": "{count} {count_pts} for order {order_id} now available",
        "ru": "Баллы за заказ {order_id} теперь доступны: {count} {count_pts}",
    },
    "redeem": {"en": "{n} {pts} redeemed", "ru": "{n} {pts}: списание баллов"},
    "hold": {
        "en": "{n} {pts} reserved at checkout",
        "ru": "{n} {pts}: резерв при оформлении заказа",
    },
    "hold_confirmed": {
        "en": "{count} reserved {count_pts} used at checkout",
        "ru": "Оплата баллами из резерва: {count} {count_pts}",
    },
    "hold_released": {
        "en": "{n} reserved {pts} returned",
        "ru": "{n} {pts}: возврат из резерва",
    },
    "hold_timed_out": {
        "en": "{n} reserved {pts} returned: the checkout was not completed",
        "ru": "{n} {pts}: возврат из резерва, заказ не был оформлен",
    },
    "hold_revoked": {
        "en": "{n} reserved {pts} returned: the checkout was cancelled by a reversal",
        "ru": "{n} {pts}: возврат из резерва, оплата баллами отменена из-за списания",
    },
    "expire": {"en": "{n} {pts} expired", "ru": "{n} {pts}: срок действия истёк"},
    "reverse_return": {
        "en": "{n} {pts}: returned items from order {order_id}",
        "ru": "{n} {pts}: возврат товаров из заказа {order_id}",
    },
    "reverse_cancel": {
        "en": "{n} {pts}: order {order_id} was cancelled",
        "ru": "{n} {pts}: заказ {order_id} отменён",
    },
    "reverse_review": {
        "en": "{n} {pts}: your review of {sku} was removed",
        "ru": "{n} {pts}: ваш отзыв о товаре {sku} удалён",
    },
    "points_refunded": {
        "en": "{n} {pts} paid for order {order_id} given back: items were returned",
        "ru": "{n} {pts}: возврат баллов, которыми был оплачен заказ {order_id}",
    },
    "points_refunded_cancel": {
        "en": "{n} {pts} paid for order {order_id} given back: the order was cancelled",
        "ru": "{n} {pts}: возврат баллов за отменённый заказ {order_id}",
    },
    "reward_redeemed": {
        "en": "{n} {pts} for the reward “{name}”",
        "ru": "{n} {pts}: награда «{name}»",
    },
    "reward_refunded": {
        "en": "{n} {pts} back: the reward “{name}” expired unused",
        "ru": "{n} {pts}: возврат за неиспользованную награду «{name}»",
    },
    "referral_friend": {
        "en": "{n} {pts}: welcome bonus for joining through a friend",
        "ru": "{n} {pts}: приветственный бонус по приглашению друга",
    },
    "referral_referrer": {
        "en": "{n} {pts} for a friend you referred",
        "ru": "{n} {pts} за приглашённого друга",
    },
    "referral_milestone": {
        "en": "{n} {pts}: bonus for {referrals} friends referred",
        "ru": "{n} {pts}: бонус за приглашённых друзей ({referrals})",
    },
    "adjust": {
        "en": "{n} {pts}: adjustment ({note})",
        "ru": "{n} {pts}: корректировка ({note})",
    },
    "erasure": {
        "en": "{n} {pts}: closed when the member's personal data was erased",
        "ru": "{n} {pts}: списание при удалении персональных данных участника",
    },
    "erasure_debt": {
        "en": "{n} {pts}: debt written off when the member's personal data was erased",
        "ru": "{n} {pts}: долг списан при удалении персональных данных участника",
    },
}


def render(
    code: str, params: dict[str, Any], amount: int, locale: str | None, *, count: int | None = None
) -> str:
    """Render a reason; an unknown code falls back to the code itself, never fails."""
    lang = pick_locale(locale)
    template = CATALOG.get(code, {}).get(lang) or CATALOG.get(code, {}).get("en")
    signed = f"+{amount}" if amount > 0 else ("−" + str(-amount) if amount < 0 else "0")
    if template is None:
        return f"{signed} ({code})"
    values = {
        key: (value.get(lang) or value.get("en") or "") if isinstance(value, dict) else value
        for key, value in params.items()
        if isinstance(key, str)
    }
    values.setdefault("name", params.get("rule", code))
    values.setdefault("tier", "")
    values.setdefault("order_id", "?")
    values.setdefault("note", "")
    values.setdefault("sku", "?")
    moved = abs(amount) if count is None else count
    return template.format_map(
        {
            **values,
            "n": signed,
            "pts": plural(lang, amount, _POINTS[lang]),
            "count": moved,
            "count_pts": plural(lang, moved, _POINTS[lang]),
        }
    )
