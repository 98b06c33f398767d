"""The demo tenant: a seller with products, a few dozen orders in every state, and the documented examples.

It also has a Lamoda cabinet (services/demo_lamoda.py).
The AliExpress seed's examples work against it as printed: trade order 2207197727599807 (create),
logistic order 88236 (labels), 1113736 (delete: it belongs to another seller), and the logistic order
of the `logistic-order/get` example (1249390, handed to the carrier).
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass

from marketbox.domain.errors import NotFound
from marketbox.domain.logistic_orders import JewelryCodes, NewLine, NewLogisticOrder
from marketbox.domain.sellers import Seller, SellerCredentials
from marketbox.domain.trade_orders import ReceiverAddress
from marketbox.services import handover_lists, logistic_orders, tenants, trade_orders
from marketbox.services.demo_lamoda import DEMO_SUPPLY, build_lamoda_demo
from marketbox.services.trade_orders import BuyerLine, BuyerOrder
from marketbox.store import lamoda_logistics as supply_store
from marketbox.store import logistic_orders as lo_store
from marketbox.store import sellers as seller_store
from marketbox.store.database import Database

DEMO_SELLER_ID = 1042630114
# Fixed, so that the README's curl commands run as printed against `marketbox serve --demo`.
DEMO_CREDENTIALS = SellerCredentials("mbx-demo-token", "mbx-demo-client", "mbx-demo-secret")
DEMO_NAME = "Demo Seller"
OTHER_SELLER_ID = 1042630115
LAST_FIXTURE = 1249390  # the logistic order built last: when it exists, the demo is complete

SEED_ADDRESS = ReceiverAddress(
    zip_code="109456",
    country_code="RU",
    country="Россия",
    province="Ямало-Ненецкий АО",
    city="г. Печенга",
    street="д. Анива, бул. Железнодорожный, д. 2/1 стр. 7/2, 068410",
    detail_address="г. Печенга, Ямало-Ненецкий АО, д. Анива, бул. Железнодорожный, д. 2/1 стр. 7/2, 068410",
)
SEED_GET_LINES = (
    BuyerLine(12000030050065440, 2, "TEST_MARKING_REQUIRED", 46036, False, False),
    BuyerLine(12000029404675044, 2, "2", 17918, False, False),
    BuyerLine(12000040018902276, 1, "QA Gold Ring Lux", 34466, True, True),
)


@dataclass(frozen=True)
class Demo:
    seller: Seller
    credentials: SellerCredentials
    created: bool


def _box(trade_order_id: int, items: tuple[NewLine, ...]) -> NewLogisticOrder:
    return NewLogisticOrder(trade_order_id, 20, 10, 5, 1.5, items)


async def ensure_demo(db: Database, *, orders: int = 36, seed: int = 42) -> Demo:
    """Create the demo once. A demo left half-built (a crash, a deleted tenant) is built again."""
    async with db.read() as conn:
        existing = await seller_store.get_seller(conn, DEMO_SELLER_ID)
        credentials = await seller_store.credentials_of(conn, DEMO_SELLER_ID)
        last_fixture = (await lo_store.get_any(conn, [LAST_FIXTURE])).get(LAST_FIXTURE)
        lamoda_done = await supply_store.get_supply(conn, DEMO_SELLER_ID, DEMO_SUPPLY) is not None
    if existing is not None and credentials is not None and last_fixture is not None and lamoda_done:
        return Demo(existing, credentials, created=False)
    await _remove_demo(db)
    try:
        seller, credentials = await _build(db, orders, seed)
    except BaseException:
        await _remove_demo(db)
        raise
    return Demo(seller, credentials, created=True)


async def _remove_demo(db: Database) -> None:
    for seller_id in (DEMO_SELLER_ID, OTHER_SELLER_ID):
        with contextlib.suppress(NotFound):
            await tenants.delete_tenant(db, seller_id)


async def _build(db: Database, orders: int, seed: int) -> tuple[Seller, SellerCredentials]:
    rng = random.Random(seed)
    seller, credentials = await tenants.create_tenant(
        db, DEMO_NAME, seller_id=DEMO_SELLER_ID, credentials=DEMO_CREDENTIALS
    )
    other, _ = await tenants.create_tenant(db, "Another Seller", seller_id=OTHER_SELLER_ID)
    # Generated orders first: the documented examples come last, so the newest is the seed's get example.
    await _random_orders(db, seller, rng, orders)

    # The seed's delete example: 1113736 exists, but not for the demo seller.
    foreign = await trade_orders.place_order(
        db, other.id, BuyerOrder((BuyerLine(12000011111111111, 1),)), rng=rng
    )
    await logistic_orders.create_logistic_orders(
        db, other, [_box(foreign.id, (NewLine(12000011111111111, 1),))], ids=[1113736]
    )
    # The seed's create example: trade order 2207197727599807 with sku 12000027037707016 (3 units free).
    await trade_orders.place_order(
        db,
        seller.id,
        BuyerOrder(
            (BuyerLine(12000027037707016, 3, "Футболка хлопковая", 99900),), trade_order_id=2207197727599807
        ),
        rng=rng,
    )
    # The seed's labels example: logistic order 88236.
    labelled = await trade_orders.place_order(
        db, seller.id, BuyerOrder((BuyerLine(12000026559024132, 3),)), rng=rng
    )
    await logistic_orders.create_logistic_orders(
        db, seller, [_box(labelled.id, (NewLine(12000026559024132, 3),))], ids=[88236]
    )
    # The seed's get example: jewelry with marking codes, handed to the carrier.
    ring = await trade_orders.place_order(
        db,
        seller.id,
        BuyerOrder(SEED_GET_LINES, SEED_ADDRESS, "Сократ Гурьевич Абрамов", trade_order_id=2409231561178782),
        rng=rng,
    )
    await logistic_orders.create_logistic_orders(
        db,
        seller,
        [
            _box(
                ring.id,
                (
                    NewLine(12000030050065440, 2),
                    NewLine(12000029404675044, 2),
                    NewLine(
                        12000040018902276,
                        1,
                        jewelry_codes=(JewelryCodes(0, ("4095436341322049", "2314167189189686")),),
                    ),
                ),
            )
        ],
        ids=[1249390],
    )
    handed = await handover_lists.create_handover_list(db, seller, [1249390], None)
    await handover_lists.transfer_handover_list(db, seller, handed)
    await build_lamoda_demo(db, seller)

    return seller, credentials


async def _random_orders(db: Database, seller: Seller, rng: random.Random, count: int) -> None:
    catalogue = [12000027000000000 + n * 1013 for n in range(12)]
    waiting: list[int] = []
    for n in range(count):
        skus = rng.sample(catalogue, rng.randint(1, 3))
        order = await trade_orders.place_order(
            db,
            seller.id,
            BuyerOrder(tuple(BuyerLine(sku, rng.randint(1, 3), jewelry=False) for sku in skus)),
            rng=rng,
        )
        if n % 3 == 0:
            continue  # left for the seller to ship
        result = await logistic_orders.create_logistic_orders(
            db, seller, [_box(order.id, tuple(NewLine(line.sku_id, line.quantity) for line in order.lines))]
        )
        waiting.extend(lo.id for los in result.created.values() for lo in los)
    if len(waiting) >= 6:
        await handover_lists.create_handover_list(db, seller, waiting[:3], None)
        shipped = await handover_lists.create_handover_list(db, seller, waiting[3:6], None)
        await handover_lists.transfer_handover_list(db, seller, shipped)
