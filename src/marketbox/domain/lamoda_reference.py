"""Lamoda's reference data as B2B v1 serves it: its category tree (with the ERP "axapta" categories
and their minimal prices) and a small KLADR address directory for city, street and building hints.

Lamoda's real lists are far larger and not public; these cover the goods and cities marketbox's
made-up orders use, with realistic codes (KLADR: 13 digits for a city, 17 for a street, 19 for a
building), so integration code can exercise the calls end to end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: int
    axapta1: str  # the top level ("Одежда")
    axapta2: str  # the category itself ("Платья")
    minimal_prices: tuple[int, int, int]  # RU (RUB), BY (BYN), KZ (KZT)

    @property
    def path(self) -> str:
        return f"{self.axapta1}/{self.axapta2}"


CATEGORIES: tuple[Category, ...] = (
    Category(1101, "Одежда", "Платья", (590, 19, 3290)),
    Category(1102, "Одежда", "Джинсы", (690, 22, 3790)),
    Category(1103, "Одежда", "Футболки", (290, 9, 1590)),
    Category(1104, "Одежда", "Рубашки", (490, 16, 2690)),
    Category(1105, "Одежда", "Брюки", (590, 19, 3290)),
    Category(1106, "Одежда", "Куртки", (1490, 48, 8190)),
    Category(1201, "Обувь", "Кроссовки", (990, 32, 5490)),
    Category(1202, "Обувь", "Ботинки", (1290, 42, 7090)),
    Category(1203, "Обувь", "Туфли", (990, 32, 5490)),
    Category(1204, "Обувь", "Кеды", (790, 26, 4390)),
    Category(1301, "Аксессуары", "Сумки", (690, 22, 3790)),
    Category(1302, "Аксессуары", "Рюкзаки", (690, 22, 3790)),
    Category(1303, "Аксессуары", "Шарфы", (290, 9, 1590)),
    Category(1304, "Аксессуары", "Ремни", (290, 9, 1590)),
    Category(1305, "Аксессуары", "Шапки", (290, 9, 1590)),
)
_BY_NAME = {c.axapta2.casefold(): c for c in CATEGORIES} | {c.path.casefold(): c for c in CATEGORIES}


def category_for(partner_category: str) -> Category | None:
    """Lamoda's category for a seller's own category name: the same name (or `Top/Name`), any case."""
    return _BY_NAME.get(partner_category.strip().casefold())


@dataclass(frozen=True)
class Place:
    """One KLADR entry: `text` is the name, `text_extended` the name with its type and region."""

    id: str
    text: str
    text_extended: str
    zipcode: str


CITIES: tuple[Place, ...] = (
    Place("7700000000000", "Москва", "г Москва", "101000"),
    Place("7800000000000", "Санкт-Петербург", "г Санкт-Петербург", "190000"),
    Place("6600000100000", "Екатеринбург", "Свердловская обл, г Екатеринбург", "620014"),
    Place("5400000100000", "Новосибирск", "Новосибирская обл, г Новосибирск", "630099"),
    Place("1600000100000", "Казань", "Респ Татарстан, г Казань", "420111"),
    Place("5200000100000", "Нижний Новгород", "Нижегородская обл, г Нижний Новгород", "603000"),
    Place("6300000100000", "Самара", "Самарская обл, г Самара", "443000"),
    Place("6100000100000", "Ростов-на-Дону", "Ростовская обл, г Ростов-на-Дону", "344000"),
    Place("2300000100000", "Краснодар", "Краснодарский край, г Краснодар", "350000"),
    Place("8900000100000", "Салехард", "Ямало-Ненецкий АО, г Салехард", "629008"),
)
_STREETS = (
    ("ул", "Ленина"),
    ("пр-кт", "Мира"),
    ("ул", "Садовая"),
    ("б-р", "Железнодорожный"),
    ("ул", "Гагарина"),
    ("ул", "Пушкина"),
    ("ул", "Советская"),
    ("ул", "Набережная"),
)
BUILDINGS_PER_STREET = 150


def _matches(name: str | None, text: str) -> bool:
    """A hint matches when the typed text starts any word of the name (any case)."""
    if not name:
        return True
    wanted = name.strip().casefold()
    return any(word.startswith(wanted) for word in [text.casefold(), *text.casefold().split()])


def cities(name: str) -> list[Place]:
    return [c for c in CITIES if _matches(name, c.text)]


def city(code: str) -> Place | None:
    return next((c for c in CITIES if c.id == code), None)


def streets(city_code: str, name: str | None) -> list[Place]:
    """The city's streets: the city's 11-digit prefix + a 4-digit street number + `00`."""
    found = city(city_code)
    if found is None:
        return []
    places = [
        Place(f"{found.id[:11]}{n:04d}00", street, f"{found.text_extended}, {kind} {street}", found.zipcode)
        for n, (kind, street) in enumerate(_STREETS, start=1)
    ]
    return [p for p in places if _matches(name, p.text)]


def street(code: str) -> Place | None:
    if len(code) != 17:
        return None
    return next((s for s in streets(code[:11] + "00", None) if s.id == code), None)


def buildings(street_code: str, name: str | None) -> list[Place]:
    """Houses 1..150 of the street: its 15-digit prefix + a 4-digit house number."""
    found = street(street_code)
    if found is None:
        return []
    wanted = (name or "").strip().casefold()
    return [
        Place(f"{found.id[:15]}{n:04d}", str(n), f"{found.text_extended}, д {n}", found.zipcode)
        for n in range(1, BUILDINGS_PER_STREET + 1)
        if str(n).startswith(wanted)
    ]
