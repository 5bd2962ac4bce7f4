"""Deterministic, streaming generator of a realistic demo shop's activity events."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, TypeVar

__all__ = ["Product", "ShopSpec", "catalogue", "fresh_orders", "generate_events"]

_T = TypeVar("_T")
_DAY: Final = 86_400
_HOUR: Final = 3_600


@dataclass(frozen=True, slots=True)
class ShopSpec:
    """Parameters of the simulated shop; the same spec always yields the same events."""

    seed: int = 42
    members: int = 5000
    months: int = 12
    end: date = date(2026, 11, 1)  # exclusive end of the simulated period (UTC midnight)
    products: int = 200
    categories: int = 15
    return_rate: float = 0.08  # share of delivered orders with a return
    review_rate: float = 0.12  # share of delivered orders followed by a review
    survey_rate: float = 0.05  # share of members answering an NPS survey
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.members < 0:
            raise ValueError("members must be >= 0")
        if self.months < 1:
            raise ValueError("months must be >= 1")
        if self.products < 1 or self.categories < 1:
            raise ValueError("products and categories must be >= 1")
        for name in ("return_rate", "review_rate", "survey_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")

    @property
    def start(self) -> date:
        """First day (inclusive, UTC midnight) of the simulated period."""
        month_index = self.end.year * 12 + (self.end.month - 1) - self.months
        year, month = divmod(month_index, 12)
        month += 1
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        last_day = (date(next_year, next_month, 1) - timedelta(days=1)).day
        return date(year, month, min(self.end.day, last_day))


@dataclass(frozen=True, slots=True)
class Product:
    """A catalogue item; unit_price is in minor currency units (cents)."""

    sku: str
    name: str
    category: str
    unit_price: int


# --------------------------------------------------------------------------- static data


@dataclass(frozen=True, slots=True)
class _CategoryDef:
    name: str
    code: str
    median_eur: float
    weight: float  # relative share of products and of shopper interest
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Region:
    locale: str
    country: str
    timezone: str
    utc_offset: int  # hours, standard time; used only to shape times of day
    stores: tuple[str, ...]
    weight: float


# fmt: off
_CATEGORIES: Final[tuple[_CategoryDef, ...]] = (
    _CategoryDef("Apparel", "APP", 40, 1.6, (
        "Hoodie", "T-shirt", "Jeans", "Rain jacket", "Sweater", "Chinos", "Dress",
        "Fleece jacket", "Polo shirt", "Shorts", "Flannel shirt", "Parka",
    )),
    _CategoryDef("Shoes", "SHO", 85, 1.3, (
        "Running shoes", "Sneakers", "Trail shoes", "Leather boots", "Sandals",
        "Slip-on shoes", "Ankle boots", "Loafers", "Canvas shoes",
    )),
    _CategoryDef("Beauty", "BEA", 22, 1.4, (
        "Face cream", "Serum", "Lip balm", "Shampoo", "Conditioner", "Sunscreen SPF 50",
        "Face mask", "Body lotion", "Eau de parfum", "Hand cream", "Cleansing gel",
    )),
    _CategoryDef("Sportswear", "SPT", 35, 1.1, (
        "Leggings", "Sports bra", "Training shorts", "Running top", "Track jacket",
        "Sports socks", "Yoga pants", "Base layer",
    )),
    _CategoryDef("Accessories", "ACC", 30, 1.0, (
        "Backpack", "Wallet", "Sunglasses", "Cap", "Scarf", "Belt", "Beanie", "Tote bag",
        "Gloves",
    )),
    _CategoryDef("Home", "HOM", 32, 0.9, (
        "Scented candle", "Throw blanket", "Cushion", "Table lamp", "Picture frame", "Vase",
        "Bath towel", "Bed linen set",
    )),
    _CategoryDef("Kitchen", "KIT", 28, 0.8, (
        "Chef's knife", "Frying pan", "Cutting board", "French press", "Water bottle",
        "Lunch box", "Teapot", "Mug set",
    )),
    _CategoryDef("Electronics", "ELE", 60, 0.9, (
        "Wireless earbuds", "Phone case", "Power bank", "USB-C cable", "Bluetooth speaker",
        "Smartwatch", "Wall charger", "Headphones",
    )),
    _CategoryDef("Books", "BOO", 16, 0.7, (
        "Cookbook", "Novel", "Travel guide", "Notebook", "Planner", "Graphic novel",
        "Children's book",
    )),
    _CategoryDef("Toys", "TOY", 25, 0.6, (
        "Jigsaw puzzle", "Board game", "Building blocks", "Plush bear", "Card game",
        "Model kit",
    )),
    _CategoryDef("Outdoor", "OUT", 55, 0.6, (
        "Tent", "Sleeping bag", "Camping stove", "Headlamp", "Hiking poles", "Dry bag",
        "Camping chair",
    )),
    _CategoryDef("Coffee & Tea", "COF", 12, 0.8, (
        "Coffee beans", "Ground coffee", "Green tea", "Herbal tea", "Chocolate bar",
        "Granola", "Black tea",
    )),
    _CategoryDef("Pet supplies", "PET", 18, 0.5, (
        "Dog leash", "Cat toy", "Pet bed", "Dog treats", "Cat scratcher", "Pet bowl",
    )),
    _CategoryDef("Jewellery", "JEW", 65, 0.5, (
        "Silver ring", "Necklace", "Earrings", "Bracelet", "Pendant",
    )),
    _CategoryDef("Stationery", "STA", 9, 0.5, (
        "Pen set", "Sketchbook", "Desk organiser", "Sticky notes", "Fountain pen",
    )),
    _CategoryDef("Garden", "GAR", 24, 0.5, (
        "Plant pot", "Watering can", "Garden gloves", "Seed kit", "Pruning shears",
    )),
    _CategoryDef("Baby", "BAB", 20, 0.4, (
        "Baby bodysuit", "Soft toy", "Baby blanket", "Bib set", "Teether",
    )),
)

# Which category a product's "also bought" companion is drawn from.
_COMPLEMENTS: Final[dict[str, str]] = {
    "Apparel": "Accessories", "Shoes": "Sportswear", "Beauty": "Beauty",
    "Sportswear": "Shoes", "Accessories": "Apparel", "Home": "Kitchen",
    "Kitchen": "Coffee & Tea", "Electronics": "Electronics", "Books": "Stationery",
    "Toys": "Books", "Outdoor": "Sportswear", "Coffee & Tea": "Kitchen",
    "Pet supplies": "Pet supplies", "Jewellery": "Accessories", "Stationery": "Books",
    "Garden": "Home", "Baby": "Toys",
}

_MODELS: Final = (
    "Classic", "Aero", "Pro", "Lite", "Urban", "Nordic", "Essential", "Studio", "Trail",
    "Cloud", "Heritage", "Pure", "Flex", "Everyday", "Prime", "Coast", "Alpine", "Metro",
    "Organic", "Compact",
)

_REGIONS: Final[tuple[_Region, ...]] = (
    _Region("ru", "RU", "Europe/Moscow", 3, ("MSK-01", "MSK-02", "MSK-03"), 0.20),
    _Region("ru", "RU", "Europe/Moscow", 3, ("SPB-01", "SPB-02"), 0.11),
    _Region("ru", "RU", "Europe/Moscow", 3, ("KZN-01",), 0.04),
    _Region("ru", "RU", "Asia/Yekaterinburg", 5, ("EKB-01",), 0.05),
    _Region("en", "GB", "Europe/London", 0, ("LON-01", "LON-02"), 0.25),
    _Region("en", "GB", "Europe/London", 0, ("MAN-01",), 0.08),
    _Region("en", "DE", "Europe/Berlin", 1, ("BER-01",), 0.13),
    _Region("en", "NL", "Europe/Amsterdam", 1, ("AMS-01",), 0.08),
    _Region("en", "IE", "Europe/Dublin", 0, ("DUB-01",), 0.06),
)
_REGION_CUM: Final = tuple(itertools.accumulate(r.weight for r in _REGIONS))

_CARRIERS: Final[dict[str, tuple[str, ...]]] = {
    "RU": ("CDEK", "CDEK", "Boxberry", "Russian Post"),
    "GB": ("Royal Mail", "Royal Mail", "DPD", "Evri"),
    "DE": ("DHL", "DHL", "DPD", "Hermes"),
    "NL": ("PostNL", "PostNL", "DHL"),
    "IE": ("An Post", "DPD"),
}
_POSTAL_SUFFIX: Final = {"Russian Post": "RU", "Royal Mail": "GB", "An Post": "IE"}

# (Cyrillic, Latin) pairs; surnames in masculine form, the feminine form adds "а"/"a".
_RU_FEMALE: Final = (
    ("Анна", "Anna"), ("Мария", "Maria"), ("Елена", "Elena"), ("Ольга", "Olga"),
    ("Наталья", "Natalia"), ("Екатерина", "Ekaterina"), ("Татьяна", "Tatiana"),
    ("Ирина", "Irina"), ("Светлана", "Svetlana"), ("Юлия", "Yulia"),
    ("Анастасия", "Anastasia"), ("Дарья", "Daria"), ("Ксения", "Ksenia"),
    ("Полина", "Polina"), ("Виктория", "Viktoria"), ("Алина", "Alina"), ("София", "Sofia"),
)
_RU_MALE: Final = (
    ("Александр", "Aleksandr"), ("Дмитрий", "Dmitry"), ("Сергей", "Sergey"),
    ("Андрей", "Andrey"), ("Алексей", "Aleksey"), ("Максим", "Maksim"), ("Иван", "Ivan"),
    ("Михаил", "Mikhail"), ("Артём", "Artem"), ("Никита", "Nikita"), ("Егор", "Egor"),
    ("Павел", "Pavel"), ("Роман", "Roman"), ("Владимир", "Vladimir"), ("Илья", "Ilya"),
    ("Кирилл", "Kirill"),
)
_RU_SURNAMES: Final = (
    ("Иванов", "Ivanov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
    ("Попов", "Popov"), ("Васильев", "Vasiliev"), ("Петров", "Petrov"),
    ("Соколов", "Sokolov"), ("Михайлов", "Mikhailov"), ("Новиков", "Novikov"),
    ("Фёдоров", "Fedorov"), ("Морозов", "Morozov"), ("Волков", "Volkov"),
    ("Алексеев", "Alekseev"), ("Лебедев", "Lebedev"), ("Семёнов", "Semenov"),
    ("Егоров", "Egorov"), ("Павлов", "Pavlov"), ("Козлов", "Kozlov"),
    ("Степанов", "Stepanov"), ("Николаев", "Nikolaev"), ("Орлов", "Orlov"),
    ("Андреев", "Andreev"), ("Макаров", "Makarov"), ("Захаров", "Zakharov"),
    ("Зайцев", "Zaitsev"), ("Соловьёв", "Soloviev"), ("Борисов", "Borisov"),
    ("Яковлев", "Yakovlev"), ("Романов", "Romanov"), ("Белов", "Belov"),
    ("Ильин", "Ilyin"), ("Тарасов", "Tarasov"),
)
_FIRST_NAMES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    # country: (female, male)
    "GB": (
        ("Emma", "Olivia", "Amelia", "Isla", "Ava", "Sophie", "Grace", "Lily", "Chloe",
         "Emily", "Hannah", "Lucy", "Charlotte", "Ella", "Mia", "Jessica", "Sarah", "Priya"),
        ("Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Thomas", "James", "William",
         "Daniel", "Samuel", "Lucas", "Ben", "Ryan", "Mohammed", "Arjun", "Joseph"),
    ),
    "IE": (
        ("Aoife", "Siobhan", "Niamh", "Ciara", "Emma", "Sarah", "Grace", "Orla", "Roisin"),
        ("Conor", "Sean", "Cian", "Liam", "Darragh", "Patrick", "Jack", "Oisin", "Eoin"),
    ),
    "DE": (
        ("Lena", "Clara", "Hanna", "Lea", "Marie", "Sophie", "Laura", "Julia", "Katharina"),
        ("Jonas", "Felix", "Lukas", "Max", "Paul", "Leon", "Moritz", "Tobias", "Jan"),
    ),
    "NL": (
        ("Sanne", "Lotte", "Fleur", "Eva", "Anouk", "Noa", "Iris", "Femke", "Julia"),
        ("Daan", "Sem", "Lars", "Bram", "Thijs", "Jesse", "Ruben", "Milan", "Sven"),
    ),
}
_LAST_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "GB": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
        "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Hughes", "Edwards",
    ),
    "IE": (
        "Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "O'Brien", "Byrne", "Ryan",
        "O'Connor", "Doyle", "McCarthy", "Gallagher",
    ),
    "DE": (
        "Schmidt", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch",
        "Richter", "Klein", "Wolf", "Neumann", "Braun", "Zimmermann",
    ),
    "NL": (
        "de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "Bos", "Vos", "Peters",
    ),
}

_SURVEY_COMMENTS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    # locale: (detractor, passive, promoter)
    "en": (
        ("Delivery took far too long.", "Support never answered my email.",
         "The return process was a pain.", "Prices went up, quality went down."),
        ("Good products, but shipping is expensive.", "Fine overall.",
         "The app could be faster.", "Would like more sizes in stock."),
        ("Love the quality!", "Fast delivery and great service.",
         "Points are easy to use.", "My go-to shop, recommended it to friends."),
    ),
    "ru": (
        ("Доставка слишком долгая.", "Поддержка не ответила на письмо.",
         "Возврат оформить было сложно.", "Цены выросли, качество упало."),
        ("Товары хорошие, но доставка дорогая.", "В целом нормально.",
         "Приложение могло бы работать быстрее.", "Хотелось бы больше размеров в наличии."),
        ("Отличное качество!", "Быстрая доставка и хороший сервис.",
         "Баллами удобно пользоваться.", "Мой любимый магазин, советую друзьям."),
    ),
}
_NPS_CUM: Final = tuple(itertools.accumulate((2, 1, 1, 2, 2, 5, 6, 12, 20, 22, 27)))

_MONTH_FACTOR: Final = (0.85, 0.8, 0.9, 0.95, 0.95, 0.82, 0.72, 0.75, 0.95, 1.0, 1.55, 1.8)
_WEEKDAY_FACTOR: Final = (1.02, 0.98, 0.98, 1.0, 0.95, 0.95, 1.12)  # Monday first
# Local hour-of-day shape of shopping activity (00:00 to 23:00).
_HOUR_CUM: Final = tuple(itertools.accumulate((
    0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.2, 3.0, 3.6, 4.0,
    4.6, 4.8, 4.4, 4.2, 4.4, 5.0, 6.0, 7.0, 7.4, 6.4, 4.4, 2.0,
)))
# fmt: on

_BASKET_CUM: Final = tuple(itertools.accumulate((46, 26, 13, 8, 4, 3)))
_QUANTITY_CUM: Final = tuple(itertools.accumulate((82, 13, 5)))
_RATING_CUM: Final = tuple(itertools.accumulate((4, 5, 11, 27, 53)))
_RATING_CUM_RETURNED: Final = tuple(itertools.accumulate((24, 24, 25, 17, 10)))
_CHANNELS: Final = ("web", "app", "pos")
_CHANNEL_CUM: Final = (0.58, 0.83, 1.0)  # pos share is trimmed by store hours
_STORE_OPENS: Final = 9
_STORE_CLOSES: Final = 22

# Purchase process (BG/NBD-like): gamma purchase rate, beta dropout after each order.
_NEVER_BUYS: Final = 0.135
_ENROL_BASE: Final = 1.3
_ENROL_DECLINE: Final = 0.7
_LAUNCH: Final = 4.0
_BUYS_AT_ENROLMENT: Final = 0.55
_FIRST_ORDER_MEAN_DAYS: Final = 25.0
_RATE_SHAPE: Final = 0.9
_RATE_SCALE: Final = 1 / 25  # orders per day
_RATE_CAP: Final = 0.12  # about one order every eight days at most
_DROPOUT_A: Final = 0.7
_DROPOUT_B: Final = 0.8

_FREE_SHIPPING_FROM: Final = 5000
_SHIPPING_FEE: Final = 495
_CANCEL_RATE_ONLINE: Final = 0.024


def _pick(rng: random.Random, cum: Sequence[float]) -> int:
    """Index drawn with weights given as cumulative sums."""
    return bisect.bisect_right(cum, rng.random() * cum[-1])


def _randint(rng: random.Random, low: int, high: int) -> int:
    """Like rng.randint(low, high) but cheaper (float-based; fine for simulation)."""
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, seq: Sequence[_T]) -> _T:
    """Like rng.choice(seq) but cheaper."""
    return seq[int(rng.random() * len(seq))]


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True, slots=True)
class _Catalogue:
    products: list[Product]
    categories: list[str]
    category_cum: list[float]  # shopper interest per category
    by_category: list[list[int]]  # product indexes per category
    by_category_cum: list[list[float]]  # popularity within the category
    popular_cum: list[float]  # popularity over the whole catalogue
    companion: list[int]  # "also bought" product per product


def _category_defs(count: int) -> list[_CategoryDef]:
    defs = list(_CATEGORIES[:count])
    for n in range(len(defs), count):
        defs.append(
            _CategoryDef(
                f"Category {n + 1}",
                f"C{n + 1:02d}",
                30,
                0.4,
                ("Item", "Gift set", "Bundle"),
            )
        )
    return defs


def _build_catalogue(spec: ShopSpec) -> _Catalogue:
    rng = random.Random(f"loyalist-demo:{spec.seed}:catalogue")
    defs = _category_defs(spec.categories)
    weight_cum = list(itertools.accumulate(d.weight for d in defs))
    # Every category gets a product first (as far as products allow), then by weight.
    assignment = list(range(min(len(defs), spec.products)))
    assignment += [_pick(rng, weight_cum) for _ in range(spec.products - len(assignment))]
    rng.shuffle(assignment)

    products: list[Product] = []
    used_names: set[str] = set()
    for index, cat in enumerate(assignment):
        cdef = defs[cat]
        base = _choice(rng, cdef.items)
        name = f"{base} {_choice(rng, _MODELS)}"
        suffix = 2
        while name in used_names:
            name = f"{base} {_choice(rng, _MODELS)} {suffix}"
            suffix += 1
        used_names.add(name)
        eur = min(300.0, max(3.0, rng.lognormvariate(math.log(cdef.median_eur), 0.55)))
        price = round(eur) * 100 - 1 if eur >= 10 else round(eur * 2) * 50 - 1
        products.append(Product(f"{cdef.code}-{index + 1:04d}", name, cdef.name, price))

    # Zipf-like popularity over a random ranking: a few bestsellers, a long tail.
    ranks = list(range(len(products)))
    rng.shuffle(ranks)
    popularity = [1.0 / (rank + 1) ** 0.95 for rank in ranks]
    by_category: list[list[int]] = [[] for _ in defs]
    for index, cat in enumerate(assignment):
        by_category[cat].append(index)
    by_category_cum = [
        list(itertools.accumulate(popularity[i] for i in members)) for members in by_category
    ]
    names = [d.name for d in defs]
    interest = [d.weight if by_category[i] else 0.0 for i, d in enumerate(defs)]

    companion: list[int] = []
    for index, cat in enumerate(assignment):
        target_name = _COMPLEMENTS.get(defs[cat].name, defs[cat].name)
        target = names.index(target_name) if target_name in names else cat
        pool = (
            [i for i in by_category[target] if i != index]
            or [i for i in by_category[cat] if i != index]
            or [index]
        )
        cum = list(itertools.accumulate(popularity[i] for i in pool))
        companion.append(pool[_pick(rng, cum)])

    return _Catalogue(
        products=products,
        categories=names,
        category_cum=list(itertools.accumulate(interest)),
        by_category=by_category,
        by_category_cum=by_category_cum,
        popular_cum=list(itertools.accumulate(popularity)),
        companion=companion,
    )


def catalogue(spec: ShopSpec) -> list[Product]:
    """The shop's products, deterministic from spec.seed, spec.products and spec.categories."""
    return list(_build_catalogue(spec).products)


# --------------------------------------------------------------------------- member plans


@dataclass(slots=True)
class _Member:
    number: int
    external_id: str
    region: _Region
    enrolled: int
    orders: list[int]
    next_order: int
    channel: int
    store: str
    favourite_cats: list[int]
    favourite_cum: list[float]
    survey_at: int  # -1: never answers


def _day_factors(start: date, days: int) -> list[float]:
    """Relative shopping intensity per day: seasonality, weekday and holiday effects."""
    factors: list[float] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        factor = _MONTH_FACTOR[day.month - 1] * _WEEKDAY_FACTOR[day.weekday()]
        if day.month == 11 and day.weekday() in (4, 5, 6, 0):
            # Black Friday (fourth Friday of November) through Cyber Monday.
            first_friday = 1 + (4 - date(day.year, 11, 1).weekday()) % 7
            black_friday = date(day.year, 11, first_friday + 21)
            if 0 <= (day - black_friday).days <= 3:
                factor *= 2.2
        elif day.month == 12:
            factor *= {24: 0.6, 25: 0.35, 26: 0.7, 31: 0.6}.get(day.day, 1.0)
            if day.day > 20:
                factor *= 0.9
        elif day.month == 1 and day.day == 1:
            factor *= 0.4
        factors.append(factor)
    return factors


class _Planner:
    def __init__(self, spec: ShopSpec, cat: _Catalogue) -> None:
        self.spec = spec
        self.cat = cat
        self.rng = random.Random(f"loyalist-demo:{spec.seed}:plan")
        start = spec.start
        self.start_ts = _timestamp(start)
        self.end_ts = _timestamp(spec.end)
        self.days = max(1, (spec.end - start).days)
        self.season = _day_factors(start, self.days)
        self.season_max = max(self.season)
        # Enrolments follow the season and are front-loaded: existing customers join in a
        # launch wave over the first weeks, then sign-ups slow to a steady, declining trickle.
        self.enrol_cum = list(
            itertools.accumulate(
                f * (_ENROL_BASE - _ENROL_DECLINE * d / self.days + _LAUNCH * math.exp(-d / 10))
                for d, f in enumerate(self.season)
            )
        )

    def _time_of_day(self, region: _Region) -> int:
        rng = self.rng
        hour = _pick(rng, _HOUR_CUM)
        return (hour - region.utc_offset) * _HOUR + int(rng.random() * _HOUR)

    def _next_day(self, t: float, rate: float) -> float:
        """Next purchase day after t for a seasonal Poisson process (thinning)."""
        rng = self.rng
        peak = rate * self.season_max
        while True:
            t += rng.expovariate(peak)
            if t >= self.days:
                return t
            if rng.random() * self.season_max < self.season[int(t)]:
                return t

    def _order_ts(self, day: float, region: _Region, not_before: int) -> int:
        ts = self.start_ts + int(day) * _DAY + self._time_of_day(region)
        if ts <= not_before:
            ts = not_before + _randint(self.rng, 60, 2 * _HOUR)
        return ts

    def member(self, number: int) -> _Member:
        rng = self.rng
        region = _REGIONS[_pick(rng, _REGION_CUM)]
        enrol_day = _pick(rng, self.enrol_cum)
        enrolled = self.start_ts + enrol_day * _DAY + self._time_of_day(region)
        enrolled = min(self.end_ts - 1, max(self.start_ts, enrolled))

        orders: list[int] = []
        if rng.random() >= _NEVER_BUYS:
            rate = min(_RATE_CAP, rng.gammavariate(_RATE_SHAPE, _RATE_SCALE))
            dropout = rng.betavariate(_DROPOUT_A, _DROPOUT_B)
            if rng.random() < _BUYS_AT_ENROLMENT:
                orders.append(enrolled + _randint(rng, 60, 1200))
                day = float((enrolled - self.start_ts) // _DAY)
            else:
                day = self._next_day((enrolled - self.start_ts) / _DAY, 1 / _FIRST_ORDER_MEAN_DAYS)
                if day < self.days:
                    orders.append(self._order_ts(day, region, enrolled))
            while orders and orders[-1] < self.end_ts and rng.random() >= dropout:
                day = self._next_day(day, rate)
                if day >= self.days:
                    break
                orders.append(self._order_ts(day, region, enrolled))
            orders = sorted(ts for ts in orders if ts < self.end_ts)

        channel = _pick(rng, _CHANNEL_CUM)
        store = _choice(rng, region.stores)
        k = _pick(rng, (0.35, 0.8, 1.0)) + 1
        favourites: list[int] = []
        for _ in range(k):
            for _attempt in range(8):
                candidate = _pick(rng, self.cat.category_cum)
                if candidate not in favourites:
                    favourites.append(candidate)
                    break
        favourite_cum = list(itertools.accumulate((0.6, 0.28, 0.12)[: len(favourites)]))

        survey_at = -1
        if rng.random() < self.spec.survey_rate:
            anchor = (orders[0] if orders else enrolled) + _HOUR
            if anchor < self.end_ts - 1:
                survey_at = _randint(rng, anchor, self.end_ts - 1)
        return _Member(
            number=number,
            external_id=f"C{number:06d}",
            region=region,
            enrolled=enrolled,
            orders=orders,
            next_order=0,
            channel=channel,
            store=store,
            favourite_cats=favourites,
            favourite_cum=favourite_cum,
            survey_at=survey_at,
        )


def _timestamp(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


class _IsoFormatter:
    """ISO 8601 UTC second-precision timestamps with a Z suffix, caching the date part."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def __call__(self, ts: int) -> str:
        day, second = divmod(ts, _DAY)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = datetime.fromtimestamp(day * _DAY, UTC).strftime("%Y-%m-%dT")
            self._days[day] = prefix
        hour, second = divmod(second, _HOUR)
        minute, second = divmod(second, 60)
        return f"{prefix}{hour:02d}:{minute:02d}:{second:02d}Z"


# --------------------------------------------------------------------------- event stream

_PLACE: Final = "_place"
_ENROL: Final = "member.enrolled"

_HeapItem = tuple[int, int, str, _Member, dict[str, Any] | None]


class _Simulator:
    def __init__(self, spec: ShopSpec) -> None:
        self.spec = spec
        self.cat = _build_catalogue(spec)
        planner = _Planner(spec, self.cat)
        self.start_ts = planner.start_ts
        self.end_ts = planner.end_ts
        members = [planner.member(n) for n in range(1, spec.members + 1)]
        members.sort(key=lambda m: m.enrolled)  # stable: ties keep member number order
        self.members = members
        self.rng = random.Random(f"loyalist-demo:{spec.seed}:events")
        self.heap: list[_HeapItem] = []
        self.seq = 0
        self.order_seq = 100_000
        self.event_seq = 0
        self.id_prefix = f"demo-{spec.seed}-"
        self.iso = _IsoFormatter()
        start = spec.start
        self.promo_day = [
            (start + timedelta(days=d)).month in (11, 12) for d in range(planner.days + 1)
        ]

    # -- plumbing

    def _push(self, ts: int, kind: str, member: _Member, data: dict[str, Any] | None) -> None:
        if ts >= self.end_ts:
            return
        self.seq += 1
        heapq.heappush(self.heap, (ts, self.seq, kind, member, data))

    def _event(self, ts: int, kind: str, member: _Member, data: dict[str, Any]) -> dict[str, Any]:
        self.event_seq += 1
        return {
            "id": f"{self.id_prefix}{self.event_seq:08d}",
            "type": kind,
            "member_id": member.external_id,
            "occurred_at": self.iso(ts),
            "data": data,
        }

    def run(self) -> Iterator[dict[str, Any]]:
        members = self.members
        heap = self.heap
        i = 0
        while True:
            next_enrol = members[i].enrolled if i < len(members) else None
            if heap and (next_enrol is None or heap[0][0] < next_enrol):
                ts, _, kind, member, data = heapq.heappop(heap)
                if kind == _PLACE:
                    yield self._event(ts, "order.placed", member, self._place_order(ts, member))
                elif data is not None:
                    yield self._event(ts, kind, member, data)
            elif next_enrol is not None:
                member = members[i]
                i += 1
                yield self._event(next_enrol, _ENROL, member, self._profile(member))
                if member.orders:
                    self._push(member.orders[0], _PLACE, member, None)
                if member.survey_at >= 0:
                    self._push(member.survey_at, "survey.answered", member, self._survey(member))
            else:
                return

    # -- members

    def _profile(self, member: _Member) -> dict[str, Any]:
        rng = self.rng
        region = member.region
        female = rng.random() < 0.55
        if region.locale == "ru":
            first_cyr, first_lat = _choice(rng, _RU_FEMALE if female else _RU_MALE)
            last_cyr, last_lat = _choice(rng, _RU_SURNAMES)
            if female:
                last_cyr, last_lat = last_cyr + "а", last_lat + "a"
            cyrillic = rng.random() < 0.75
            first, last = (first_cyr, last_cyr) if cyrillic else (first_lat, last_lat)
            domain = _choice(rng, ("example.ru", "example.ru", "example.com", "example.org"))
            phone = (
                f"+7 9{_randint(rng, 0, 99):02d} {_randint(rng, 0, 999):03d}-"
                f"{_randint(rng, 0, 99):02d}-{_randint(rng, 0, 99):02d}"
            )
        else:
            females, males = _FIRST_NAMES[region.country]
            first_lat = first = _choice(rng, females if female else males)
            last_lat = last = _choice(rng, _LAST_NAMES[region.country])
            domain = _choice(rng, ("example.com", "example.com", "example.org"))
            phone = _phone(rng, region.country)

        first_ascii = "".join(c for c in first_lat.lower() if c.isascii() and c.isalpha())
        last_ascii = "".join(c for c in last_lat.lower() if c.isascii() and c.isalpha())
        # The member number makes the local part unique: letters never end in digits.
        style = rng.random()
        if style < 0.6:
            local = f"{first_ascii}.{last_ascii}{member.number}"
        elif style < 0.85:
            local = f"{first_ascii[0]}{last_ascii}{member.number}"
        else:
            local = f"{first_ascii}_{last_ascii}{member.number}"

        app_user = member.channel == 1
        data: dict[str, Any] = {
            "email": f"{local}@{domain}",
            "phone": phone,
            "first_name": first,
            "last_name": last,
        }
        if rng.random() < 0.85:
            age = min(85, max(18, round(rng.gauss(37, 11))))
            year = self.spec.end.year - age
            born = date(year, 1, 1) + timedelta(days=int(rng.random() * 365))
            data["birthday"] = born.isoformat()
        data["locale"] = region.locale
        data["timezone"] = region.timezone
        data["consents"] = {
            "email": rng.random() < 0.72,
            "sms": rng.random() < 0.35,
            "push": rng.random() < (0.7 if app_user else 0.12),
        }
        return data

    def _survey(self, member: _Member) -> dict[str, Any]:
        rng = self.rng
        score = _pick(rng, _NPS_CUM)
        # Asked where the member shops: web shoppers by e-mail, app users in the app.
        channel = ("email", "app", "pos")[member.channel]
        data: dict[str, Any] = {"survey_id": "nps-2026", "score": score, "channel": channel}
        if rng.random() < 0.35:
            band = 0 if score <= 6 else 1 if score <= 8 else 2
            data["comment"] = _choice(rng, _SURVEY_COMMENTS[member.region.locale][band])
        return data

    # -- orders

    def _pick_product(self, member: _Member, chosen: list[int]) -> int:
        rng = self.rng
        cat = self.cat
        roll = rng.random()
        if chosen and roll < 0.18:
            return cat.companion[_choice(rng, chosen)]
        if roll < 0.82:
            category = member.favourite_cats[_pick(rng, member.favourite_cum)]
            pool = cat.by_category[category]
            if pool:
                return pool[_pick(rng, cat.by_category_cum[category])]
        return _pick(rng, cat.popular_cum)

    def _place_order(self, ts: int, member: _Member) -> dict[str, Any]:
        rng = self.rng
        spec = self.spec
        member.next_order += 1
        if member.next_order < len(member.orders):
            self._push(member.orders[member.next_order], _PLACE, member, None)

        self.order_seq += 1
        order_id = str(self.order_seq)
        channel = _CHANNELS[member.channel if rng.random() < 0.8 else _pick(rng, _CHANNEL_CUM)]
        if channel == "pos":
            local_hour = (ts % _DAY // _HOUR + member.region.utc_offset) % 24
            if not _STORE_OPENS <= local_hour < _STORE_CLOSES:
                channel = "web"  # stores are closed: the member shops online instead
        pos = channel == "pos"
        store = member.store if pos else "online"

        size = _pick(rng, _BASKET_CUM) + 1
        chosen: list[int] = []
        for _ in range(size):
            for _attempt in range(4):
                candidate = self._pick_product(member, chosen)
                if candidate not in chosen:
                    chosen.append(candidate)
                    break
        promo = self.promo_day[(ts - self.start_ts) // _DAY]
        discount_rate = 0.35 if promo else 0.18
        lines: list[dict[str, Any]] = []
        quantities: list[int] = []
        subtotal = 0
        for index in chosen:
            product = self.cat.products[index]
            quantity = _pick(rng, _QUANTITY_CUM) + 1
            gross = quantity * product.unit_price
            discount = 0
            if rng.random() < discount_rate:
                discount = gross * _choice(rng, (10, 15, 20, 25, 30)) // 100
            subtotal += gross - discount
            quantities.append(quantity)
            lines.append(
                {
                    "sku": product.sku,
                    "name": product.name,
                    "category": product.category,
                    "quantity": quantity,
                    "unit_price": product.unit_price,
                    "discount": discount,
                }
            )
        shipping = 0 if pos or subtotal >= _FREE_SHIPPING_FROM else _SHIPPING_FEE
        order = {
            "order_id": order_id,
            "currency": spec.currency,
            "channel": channel,
            "store": store,
            "lines": lines,
            "shipping": shipping,
            "total": subtotal + shipping,
        }
        self._fulfil(ts, member, order_id, pos, chosen, quantities)
        return order

    def _fulfil(
        self,
        placed: int,
        member: _Member,
        order_id: str,
        pos: bool,
        chosen: list[int],
        quantities: list[int],
    ) -> None:
        rng = self.rng
        if not pos and rng.random() < _CANCEL_RATE_ONLINE:
            if rng.random() < 0.4:
                reason, delay = "payment_failed", _randint(rng, 60, 20 * 60)
            else:
                reason, delay = "customer_request", _randint(rng, 10 * 60, 6 * _HOUR)
            self._push(
                placed + delay, "order.cancelled", member, {"order_id": order_id, "reason": reason}
            )
            return

        if pos:
            paid = delivered = placed
            self._push(paid, "order.paid", member, {"order_id": order_id})
        else:
            paid = placed + min(3600, max(20, int(rng.lognormvariate(math.log(180), 0.8))))
            shipped = paid + _randint(rng, _DAY, 2 * _DAY)
            delivered = shipped + _randint(rng, _DAY, 5 * _DAY)
            carrier = _choice(rng, _CARRIERS[member.region.country])
            tracking = _tracking_number(rng, carrier)
            slug = carrier.lower().replace(" ", "-")
            self._push(paid, "order.paid", member, {"order_id": order_id})
            self._push(
                shipped,
                "order.shipped",
                member,
                {
                    "order_id": order_id,
                    "carrier": carrier,
                    "tracking_number": tracking,
                    "tracking_url": f"https://tracking.example.com/{slug}/{tracking}",
                },
            )
        self._push(delivered, "order.delivered", member, {"order_id": order_id})

        returned: set[str] = set()
        if rng.random() < self.spec.return_rate:
            products = self.cat.products
            if (len(chosen) > 1 and rng.random() < 0.2) or rng.random() < 0.1:
                picked = list(zip(chosen, quantities, strict=True))
            else:
                pick = int(rng.random() * len(chosen))
                picked = [(chosen[pick], _randint(rng, 1, quantities[pick]))]
            ret_lines = [{"sku": products[i].sku, "quantity": q} for i, q in picked]
            returned = {products[i].sku for i, _ in picked}
            self._push(
                delivered + _randint(rng, 2 * _DAY, 25 * _DAY),
                "order.returned",
                member,
                {
                    "order_id": order_id,
                    "return_id": f"RMA-{order_id}",
                    "lines": ret_lines,
                },
            )

        if rng.random() < self.spec.review_rate:
            sku = self.cat.products[_choice(rng, chosen)].sku
            rating = _pick(rng, _RATING_CUM_RETURNED if sku in returned else _RATING_CUM) + 1
            text_length = 0
            if rng.random() < 0.75:
                text_length = min(4000, max(10, int(rng.lognormvariate(math.log(160), 0.9))))
            has_photo = rng.random() < (0.35 if text_length > 300 else 0.12)
            self._push(
                delivered + _randint(rng, 3 * _DAY, 20 * _DAY),
                "review.published",
                member,
                {
                    "review_id": f"REV-{order_id}",
                    "sku": sku,
                    "rating": rating,
                    "text_length": text_length,
                    "has_photo": has_photo,
                },
            )


def _phone(rng: random.Random, country: str) -> str:
    if country == "GB":
        return f"+44 7700 900{_randint(rng, 0, 999):03d}"
    if country == "DE":
        return f"+49 15{_randint(rng, 1, 9)} {_randint(rng, 1_000_000, 9_999_999)}"
    if country == "NL":
        return f"+31 6 {_randint(rng, 10_000_000, 99_999_999)}"
    return f"+353 8{_choice(rng, '3567')} {_randint(rng, 100, 999)} {_randint(rng, 1000, 9999)}"


def _tracking_number(rng: random.Random, carrier: str) -> str:
    suffix = _POSTAL_SUFFIX.get(carrier)
    if suffix is not None:  # UPU S10 style, e.g. RR123456789GB
        letters = "".join(_choice(rng, "ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        return f"{letters}{_randint(rng, 0, 999_999_999):09d}{suffix}"
    if carrier in ("DPD", "PostNL"):
        return f"{_randint(rng, 0, 10**14 - 1):014d}"
    return f"{_randint(rng, 0, 10**10 - 1):010d}"


def generate_events(spec: ShopSpec) -> Iterator[dict[str, Any]]:
    """Yield the shop's events in non-decreasing occurred_at order, deterministically from seed.

    Planning (one small record per member) happens on the first ``next()``; events then stream.
    """
    yield from _Simulator(spec).run()


def fresh_orders(spec: ShopSpec, at: datetime, count: int = 3) -> list[dict[str, Any]]:
    """``count`` orders placed and paid at ``at`` by members of the shop (the first ones,
    in both languages when the shop has both), one or two catalogue products each.

    The history is older than the journeys' freshness window and starts none; these orders
    are fresh, so the demo shows real messages: their order confirmations, and the first
    order is shipped too (carrier and tracking link: the shipping message). Ids carry
    ``at``: each call adds new orders.
    """
    cat = _build_catalogue(spec)
    planner = _Planner(spec, cat)
    members = [planner.member(n) for n in range(1, min(spec.members, 50) + 1)]
    russian = [m for m in members if m.region.locale == "ru"][:1]
    others = [m for m in members if m not in russian]
    chosen = (russian + others)[:count]
    stamp = at.astimezone(UTC).strftime("%Y%m%d%H%M%S")
    moment = at.astimezone(UTC).isoformat()
    events: list[dict[str, Any]] = []
    for n, member in enumerate(chosen, start=1):
        order_id = f"NOW-{stamp}-{n}"
        products = [
            cat.products[(member.number * 7 + k) % len(cat.products)] for k in range(n % 2 + 1)
        ]
        lines = [
            {
                "sku": p.sku,
                "name": p.name,
                "category": p.category,
                "quantity": 1,
                "unit_price": p.unit_price,
                "discount": 0,
            }
            for p in products
        ]
        total = sum(p.unit_price for p in products)
        placed = {
            "order_id": order_id,
            "currency": spec.currency,
            "channel": "web",
            "store": "online",
            "lines": lines,
            "shipping": 0,
            "total": total,
        }
        facts: list[tuple[str, dict[str, Any]]] = [
            ("order.placed", placed),
            ("order.paid", {"order_id": order_id}),
        ]
        if n == 1:
            tracking = f"{spec.seed:04d}{stamp}"
            shipped = {
                "order_id": order_id,
                "carrier": "DHL",
                "tracking_number": tracking,
                "tracking_url": f"https://www.dhl.com/track?tracking-id={tracking}",
            }
            facts.append(("order.shipped", shipped))
        for kind, data in facts:
            events.append(
                {
                    "id": f"demo-{spec.seed}-now-{stamp}-{n}-{kind.split('.')[1]}",
                    "type": kind,
                    "member_id": member.external_id,
                    "occurred_at": moment,
                    "data": data,
                }
            )
    return events
