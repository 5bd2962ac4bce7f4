"""Sample contexts for every template, in English and Russian, so a preview needs no member.

Each is typed with its ``contexts`` context, so a change to a context's shape that the
samples do not follow fails the type check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from loyalist.messages.contexts import (
    BalanceStatementContext,
    BirthdayContext,
    CampaignContext,
    Coupon,
    DeliveredContext,
    Member,
    MembershipRenewalContext,
    Money,
    NpsSurveyContext,
    OrderConfirmationContext,
    OrderRef,
    PackingNoteContext,
    PointsExpiringContext,
    PointsMaturedContext,
    PortalSignInContext,
    PostPurchaseTipsContext,
    Product,
    ReferralConvertedContext,
    ReferralFriendWelcomeContext,
    ReviewRequestContext,
    RewardInfo,
    RewardIssuedContext,
    ShippedContext,
    TemplateKey,
    TierDowngradeWarningContext,
    TierProgress,
    TierUpgradeContext,
    Tip,
    WelcomeContext,
    WinBackContext,
)

SHOP = "https://shop.example"
PORTAL = "https://shop.example/loyalty"


def _eur(amount_minor: int) -> Money:
    return {"amount_minor": amount_minor, "currency": "EUR"}


def _rub(amount_minor: int) -> Money:
    return {"amount_minor": amount_minor, "currency": "RUB"}


class _Words:
    """The sample's names and texts in one language."""

    def __init__(self, locale: str) -> None:
        ru = locale == "ru"
        self.ru = ru
        self.money = _rub if ru else _eur
        self.member: Member = {
            "first_name": "Анна" if ru else "Anna",
            "points_balance": 1250,
            "tier": "Серебро" if ru else "Silver",
        }
        self.products: list[Product] = [
            {
                "name": "Кемекс на 6 чашек" if ru else "Chemex 6-cup",
                "url": f"{SHOP}/p/chemex",
                "image_url": f"{SHOP}/img/chemex.jpg",
                "price": self.money(490000 if ru else 4900),
            },
            {
                "name": "Бумажные фильтры, 100 шт." if ru else "Paper filters, 100 pcs",
                "url": f"{SHOP}/p/filters",
                "image_url": None,
                "price": self.money(59000 if ru else 890),
            },
            {
                "name": "Ручная кофемолка" if ru else "Hand grinder",
                "url": f"{SHOP}/p/grinder",
                "image_url": f"{SHOP}/img/grinder.jpg",
                "price": self.money(690000 if ru else 7500),
            },
        ]
        self.order: OrderRef = {"number": "10482", "url": f"{SHOP}/orders/10482"}
        self.coupon: Coupon = {
            "code": "THANKS-7QK2",
            "description": "скидка 10% на следующий заказ" if ru else "10% off your next order",
            "expires_on": date(2026, 7, 31),
        }
        self.tip: Tip = {
            "category": "Кофе" if ru else "Coffee",
            "title": "Помол под способ заваривания" if ru else "Match the grind to the brew",
            "body": (
                "Для воронки мелите средне — как морская соль. Слишком мелкий помол даст "
                "горечь, слишком крупный — кислинку."
                if ru
                else "For a pour-over, grind medium, like sea salt. Too fine tastes bitter, "
                "too coarse tastes sour."
            ),
            "url": f"{SHOP}/guides/grind",
        }
        self.progress: TierProgress = {
            "tier": "Серебро" if ru else "Silver",
            "next_tier": "Золото" if ru else "Gold",
            "needs": {"points": 250, "spend": self.money(800000 if ru else 8000), "orders": None},
            "by": date(2026, 12, 31),
            "percent": 83,
        }
        self.rewards: list[RewardInfo] = [
            {"name": "Скидка 500 ₽" if ru else "€5 off", "points_cost": 500},
            {"name": "Пачка кофе в подарок" if ru else "A free bag of coffee", "points_cost": 1200},
        ]
        self.perks = (
            ["Бесплатная доставка от 2 000 ₽", "Двойные баллы в день рождения"]
            if ru
            else ["Free shipping from €20", "Double points on your birthday"]
        )


def _welcome(w: _Words) -> WelcomeContext:
    ru = w.ru
    return {
        "member": w.member,
        "program": {
            "earn": [
                {
                    "label": "Покупки" if ru else "Every order",
                    "detail": "1 балл за каждые 100 ₽" if ru else "1 point per €1",
                },
                {
                    "label": "Отзывы" if ru else "Reviews",
                    "detail": "50 баллов за отзыв с фото" if ru else "50 points for a photo review",
                },
                {
                    "label": "Приглашения" if ru else "Referrals",
                    "detail": "300 баллов за друга" if ru else "300 points per friend",
                },
            ],
            "tiers": [
                {
                    "name": "Бронза" if ru else "Bronze",
                    "requirement": "сразу после регистрации" if ru else "from the start",
                    "perks": ["Баллы за покупки"] if ru else ["Points on every order"],
                },
                {
                    "name": "Серебро" if ru else "Silver",
                    "requirement": "от 500 баллов за год" if ru else "500 points a year",
                    "perks": w.perks,
                },
            ],
            "rewards": w.rewards,
            "expiry_months": 12,
        },
        "referral": {
            "code": "ANNA-K7",
            "link": f"{SHOP}/r/ANNA-K7",
            "friend_offer": "скидка 500 ₽ на первый заказ" if ru else "€5 off their first order",
        },
        "portal_url": PORTAL,
    }


def _order_confirmation(w: _Words) -> OrderConfirmationContext:
    return {
        "member": w.member,
        "order": {
            "number": w.order["number"],
            "url": w.order["url"],
            "placed_at": datetime(2026, 3, 29, 0, 45, tzinfo=UTC),
            "lines": [
                {
                    "name": w.products[0]["name"],
                    "quantity": 1,
                    "total": w.money(490000 if w.ru else 4900),
                },
                {
                    "name": w.products[1]["name"],
                    "quantity": 2,
                    "total": w.money(118000 if w.ru else 1780),
                },
            ],
            "total": w.money(608000 if w.ru else 6680),
        },
        "points": {"earned": 0, "pending": 61, "matures_on": date(2026, 4, 28)},
        "tier_progress": w.progress,
        "recommendations": w.products[2:],
        "coupon": w.coupon,
    }


def _shipped(w: _Words) -> ShippedContext:
    return {
        "member": w.member,
        "order": w.order,
        "shipment": {
            "carrier": "СДЭК" if w.ru else "DHL",
            "tracking_number": "1234567890",
            "tracking_url": "https://track.example/1234567890",
            "estimated_delivery_on": date(2026, 4, 2),
        },
        "recommendations": w.products[1:],
    }


def _portal_sign_in(w: _Words) -> PortalSignInContext:
    return {"member": w.member, "link": f"{PORTAL}/sign-in/sample-token", "valid_minutes": 15}


def _delivered(w: _Words) -> DeliveredContext:
    return {
        "member": w.member,
        "order": w.order,
        "points_pending": 61,
        "matures_on": date(2026, 4, 28),
    }


def _post_purchase_tips(w: _Words) -> PostPurchaseTipsContext:
    second: Tip = {
        "category": "Уход" if w.ru else "Care",
        "title": "Раз в месяц — чистка" if w.ru else "Clean it once a month",
        "body": (
            "Промойте колбу тёплой водой с лимонной кислотой: налёт уйдёт, вкус станет чище."
            if w.ru
            else "Rinse the flask with warm water and citric acid: scale goes, taste gets cleaner."
        ),
        "url": None,
    }
    return {"member": w.member, "order": w.order, "tips": [w.tip, second]}


def _review_request(w: _Words) -> ReviewRequestContext:
    return {
        "member": w.member,
        "product": w.products[0],
        "review_url": f"{SHOP}/p/chemex/review?order=10482",
        "review_points": 50,
    }


def _nps_survey(w: _Words) -> NpsSurveyContext:
    return {
        "member": w.member,
        "survey": {"id": "srv_5f2c", "url": f"{SHOP}/survey?id=srv_5f2c"},
        "order": w.order,
    }


def _points_matured(w: _Words) -> PointsMaturedContext:
    return {"member": w.member, "matured_points": 61, "portal_url": PORTAL}


def _points_expiring(w: _Words) -> PointsExpiringContext:
    return {
        "member": w.member,
        "expiring_points": 342,
        "expires_on": date(2026, 5, 31),
        "days_left": 7,
        "portal_url": PORTAL,
        "rewards": w.rewards[:1],
    }


def _balance_statement(w: _Words) -> BalanceStatementContext:
    return {
        "member": w.member,
        "period": {"start_on": date(2026, 3, 1), "end_on": date(2026, 3, 31)},
        "opening_balance": 1011,
        "earned": 283,
        "spent": 0,
        "expired": 44,
        "closing_balance": 1250,
        "expiring_soon": {"points": 342, "expires_on": date(2026, 5, 31)},
        "portal_url": PORTAL,
    }


def _tier_upgrade(w: _Words) -> TierUpgradeContext:
    return {
        "member": w.member,
        "tier": {"name": "Серебро" if w.ru else "Silver", "perks": w.perks},
        "previous_tier": "Бронза" if w.ru else "Bronze",
        "progress": w.progress,
        "portal_url": PORTAL,
    }


def _tier_downgrade_warning(w: _Words) -> TierDowngradeWarningContext:
    return {
        "member": w.member,
        "tier": {"name": "Серебро" if w.ru else "Silver", "perks": w.perks},
        "review_on": date(2026, 12, 31),
        "keep": {"points": 120, "spend": None, "orders": 2},
        "lower_tier": "Бронза" if w.ru else "Bronze",
        "shop_url": SHOP,
    }


def _membership_renewal(w: _Words) -> MembershipRenewalContext:
    return {
        "member": w.member,
        "membership": {
            "name": "Клуб+" if w.ru else "Club+",
            "renews_on": date(2026, 6, 15),
            "price": w.money(199000 if w.ru else 2900),
            "manage_url": f"{PORTAL}/membership",
        },
        "perks": w.perks,
    }


def _reward_issued(w: _Words) -> RewardIssuedContext:
    return {
        "member": w.member,
        "reward": {
            "name": w.rewards[0]["name"],
            "code": "RWD-9X4M-2Q",
            "expires_on": date(2026, 6, 30),
            "instructions": (
                "Введите код в корзине в поле «Промокод»."
                if w.ru
                else "Enter the code at checkout under “Discount code”."
            ),
        },
        "points_spent": 500,
        "shop_url": SHOP,
    }


def _referral_converted(w: _Words) -> ReferralConvertedContext:
    return {
        "member": w.member,
        "friend_name": "Мария" if w.ru else "Maria",
        "points_earned": 300,
        "referral": {"code": "ANNA-K7", "link": f"{SHOP}/r/ANNA-K7", "friend_offer": None},
    }


def _referral_friend_welcome(w: _Words) -> ReferralFriendWelcomeContext:
    friend: Member = {
        "first_name": "Мария" if w.ru else "Maria",
        "points_balance": 0,
        "tier": None,
    }
    return {
        "member": friend,
        "referrer_name": w.member["first_name"],
        "offer": {
            "description": "скидка 500 ₽ на первый заказ" if w.ru else "€5 off your first order",
            "coupon": {"code": "FRIEND-3HP8", "description": "", "expires_on": date(2026, 4, 30)},
        },
        "shop_url": SHOP,
    }


def _birthday(w: _Words) -> BirthdayContext:
    return {
        "member": w.member,
        "gift": {
            "description": "двойные баллы всю неделю" if w.ru else "double points all week",
            "coupon": None,
            "points": 200,
        },
        "shop_url": SHOP,
    }


def _win_back(w: _Words) -> WinBackContext:
    return {
        "member": w.member,
        "coupon": {
            "code": "MISSYOU-4RT",
            "description": "скидка 15% на любой заказ" if w.ru else "15% off any order",
            "expires_on": date(2026, 5, 15),
        },
        "recommendations": w.products[:2],
        "shop_url": SHOP,
    }


def _packing_note(w: _Words) -> PackingNoteContext:
    return {
        "member": w.member,
        "order": w.order,
        "points_earned": 61,
        "tier_progress": w.progress,
        "tip": w.tip,
        "recommendation": w.products[2],
    }


def _campaign(w: _Words) -> CampaignContext:
    return {
        "member": w.member,
        "campaign": {
            "name": "Чёрная пятница" if w.ru else "Black Friday",
            "ends_at": datetime(2026, 11, 30, 20, 59, tzinfo=UTC),
            "step": "main",
        },
        "offer": {
            "description": "скидка 15% на ваш любимый кофе"
            if w.ru
            else "15% off your favourite coffee",
            "coupon": {
                "code": "BF26-K7Q2M",
                "description": "скидка 15% на кофе" if w.ru else "15% off coffee",
                "expires_on": date(2026, 11, 30),
            },
            "points": 100,
            "multiplier": None,
            "gift": "Пачка кофе в подарок" if w.ru else "A free bag of coffee",
        },
        "favourites": {
            "categories": ["Кофе", "Кофейники"] if w.ru else ["Coffee", "Brewers"],
            "products": w.products[:1],
        },
        "recommendations": w.products[1:],
        "points": {"balance": 1250, "expiring": 300, "expiring_on": date(2026, 12, 31)},
        "tier_progress": w.progress,
        "clv": w.money(5400000 if w.ru else 54000),
        "shop_url": SHOP,
    }


_BUILDERS: dict[TemplateKey, Any] = {
    TemplateKey.WELCOME: _welcome,
    TemplateKey.ORDER_CONFIRMATION: _order_confirmation,
    TemplateKey.SHIPPED: _shipped,
    TemplateKey.DELIVERED: _delivered,
    TemplateKey.POST_PURCHASE_TIPS: _post_purchase_tips,
    TemplateKey.REVIEW_REQUEST: _review_request,
    TemplateKey.NPS_SURVEY: _nps_survey,
    TemplateKey.POINTS_MATURED: _points_matured,
    TemplateKey.POINTS_EXPIRING: _points_expiring,
    TemplateKey.BALANCE_STATEMENT: _balance_statement,
    TemplateKey.TIER_UPGRADE: _tier_upgrade,
    TemplateKey.TIER_DOWNGRADE_WARNING: _tier_downgrade_warning,
    TemplateKey.MEMBERSHIP_RENEWAL: _membership_renewal,
    TemplateKey.REWARD_ISSUED: _reward_issued,
    TemplateKey.REFERRAL_CONVERTED: _referral_converted,
    TemplateKey.REFERRAL_FRIEND_WELCOME: _referral_friend_welcome,
    TemplateKey.BIRTHDAY: _birthday,
    TemplateKey.WIN_BACK: _win_back,
    TemplateKey.PACKING_NOTE: _packing_note,
    TemplateKey.CAMPAIGN: _campaign,
    TemplateKey.PORTAL_SIGN_IN: _portal_sign_in,
}


def sample_context(key: TemplateKey, locale: str) -> dict[str, Any]:
    """The sample data ``key``'s templates are previewed with in ``locale`` (``en``/``ru``)."""
    return dict(_BUILDERS[key](_Words(locale)))
