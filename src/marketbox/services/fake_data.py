"""Realistic Russian buyers, addresses and products for sandbox orders and demo data."""

from __future__ import annotations

import random

from marketbox.domain.sellers import Product
from marketbox.domain.trade_orders import ReceiverAddress

_FIRST = ("Александр", "Мария", "Сократ", "Анна", "Дмитрий", "Елена", "Игорь", "Ольга", "Павел", "Наталья")
_PATRONYMIC_M = ("Гурьевич", "Петрович", "Иванович", "Сергеевич", "Андреевич")
_PATRONYMIC_F = ("Петровна", "Ивановна", "Сергеевна", "Андреевна", "Олеговна")
_LAST_M = ("Абрамов", "Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов")
_FEMALE = {"Мария", "Анна", "Елена", "Ольга", "Наталья"}
_REGIONS = (
    ("Москва", "г. Москва", "101000"),
    ("Санкт-Петербург", "г. Санкт-Петербург", "190000"),
    ("Свердловская обл.", "г. Екатеринбург", "620014"),
    ("Новосибирская обл.", "г. Новосибирск", "630099"),
    ("Республика Татарстан", "г. Казань", "420111"),
    ("Ямало-Ненецкий АО", "г. Салехард", "629008"),
)
_STREETS = ("ул. Ленина", "пр-т Мира", "ул. Садовая", "бул. Железнодорожный", "ул. Гагарина", "ул. Пушкина")
_GOODS = (  # name, price in kopecks, marking required
    ("Футболка хлопковая", 99900, False),
    ("Кроссовки беговые", 549000, True),
    ("Рюкзак городской", 249000, False),
    ("Кеды текстильные", 319000, True),
    ("Чехол для телефона", 49900, False),
    ("Духи 50 мл", 789000, True),
)
_JEWELRY = (("Кольцо золотое 585", 3446600), ("Серьги серебряные", 459000), ("Цепочка серебряная", 289000))


def person_name(rng: random.Random) -> str:
    first = rng.choice(_FIRST)
    if first in _FEMALE:
        return f"{first} {rng.choice(_PATRONYMIC_F)} {rng.choice(_LAST_M)}а"
    return f"{first} {rng.choice(_PATRONYMIC_M)} {rng.choice(_LAST_M)}"


def phone(rng: random.Random) -> str:
    return f"+79{rng.randrange(10**8, 10**9)}"


def address(rng: random.Random) -> ReceiverAddress:
    province, city, zip_code = rng.choice(_REGIONS)
    street = f"{rng.choice(_STREETS)}, д. {rng.randint(1, 120)}, кв. {rng.randint(1, 300)}"
    return ReceiverAddress(
        zip_code=zip_code,
        country_code="RU",
        country="Россия",
        province=province,
        city=city,
        street=street,
        detail_address=f"{city}, {province}, {street}, {zip_code}",
    )


def product(seller_id: int, sku_id: int, rng: random.Random, *, jewelry: bool = False) -> Product:
    """A catalogue entry; jewelry (which needs marking codes per unit) only when asked for."""
    if jewelry:
        name, price = rng.choice(_JEWELRY)
        marking = True
    else:
        name, price, marking = rng.choice(_GOODS)
    item_id = 1005000000000000 + sku_id % 10_000_000_000
    return Product(
        seller_id=seller_id,
        sku_id=sku_id,
        item_id=item_id,
        name=name,
        item_price=price,
        currency="RUB",
        img_url=f"https://ae04.alicdn.com/kf/{item_id}.jpg",
        properties=(),
        marking_required=marking,
        jewelry=jewelry,
    )


_LAMODA_GOODS = (  # name, brand, category, price in kopecks, marking required
    ("Платье трикотажное", "Zarina", "Платья", 349900, True),
    ("Джинсы прямые", "Gloria Jeans", "Джинсы", 299900, True),
    ("Кроссовки беговые", "Demix", "Кроссовки", 549000, True),
    ("Футболка хлопковая", "Befree", "Футболки", 99900, True),
    ("Сумка через плечо", "Eleganzza", "Сумки", 459000, False),
    ("Шарф шерстяной", "Finn Flare", "Шарфы", 189900, False),
)
_COLORS = ("черный", "белый", "синий", "бежевый", "красный", "зеленый")
_SIZES = ("XS", "S", "M", "L", "XL", "42", "44", "46", "48", "38", "40")


def ean13(rng: random.Random) -> str:
    """A valid EAN-13 with the Russian GS1 prefix 46."""
    body = "46" + "".join(str(rng.randrange(10)) for _ in range(10))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def lamoda_goods(rng: random.Random) -> dict[str, object]:
    """Plausible details of a Lamoda nomenclature: name, brand, category, colour, size, EAN, price."""
    name, brand, category, price, marking = rng.choice(_LAMODA_GOODS)
    size = rng.choice(_SIZES)
    return {
        "name": name,
        "brand": brand,
        "category": category,
        "price": price,
        "marking_required": marking,
        "color": rng.choice(_COLORS),
        "size": size,
        "barcode": ean13(rng),
    }
