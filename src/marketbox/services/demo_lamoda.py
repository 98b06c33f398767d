"""The demo seller's Lamoda cabinet: a catalogue, orders in each stage of FBS, a return, an FBO supply."""

from __future__ import annotations

import random

from marketbox.domain.lamoda_orders import FulfillmentType
from marketbox.domain.lamoda_supplies import Count
from marketbox.domain.sellers import Seller
from marketbox.services import lamoda_catalog, lamoda_orders, lamoda_shipping, lamoda_supplies
from marketbox.services.lamoda_orders import BuyerItem, BuyerOrder
from marketbox.store.database import Database

CATALOGUE = (
    lamoda_catalog.NomenclatureIn(
        "DEMO-DRESS-RED-42",
        "4601234567893",
        "Платье трикотажное",
        "Zarina",
        "42",
        "красный",
        "Платья",
        None,
        349900,
        True,
    ),
    lamoda_catalog.NomenclatureIn(
        "DEMO-SCARF-GREY",
        "4601234567800",
        "Шарф шерстяной",
        "Finn Flare",
        "one size",
        "серый",
        "Шарфы",
        None,
        189900,
        False,
    ),
)
DEMO_SUPPLY = "DEMO-SUPPLY-1"


def _code(n: int) -> str:
    """A well-formed marking code for the demo's FBO supply (GTIN 04601234567893)."""
    return f"010460123456789321DEMO{n:09d}"


async def build_lamoda_demo(db: Database, seller: Seller, seed: int = 7) -> None:
    """The demo's Lamoda data; the accepted supply comes last and marks the demo complete."""
    rng = random.Random(seed)
    await lamoda_catalog.create(db, seller, list(CATALOGUE))
    dress, scarf = BuyerItem("DEMO-DRESS-RED-42"), BuyerItem("DEMO-SCARF-GREY")

    async def place(*items: BuyerItem, fulfillment: FulfillmentType = FulfillmentType.FBS) -> str:
        order = await lamoda_orders.place_order(db, seller.id, BuyerOrder(items, fulfillment), rng=rng)
        return order.order_nr

    # Two new orders waiting for the seller, one confirmed, one assembled and packed.
    await place(dress)
    await place(dress, scarf)
    await lamoda_orders.confirm(db, seller, await place(scarf))
    packed = await place(BuyerItem("DEMO-SCARF-GREY", 2))
    order = await lamoda_orders.confirm(db, seller, packed)
    order = await lamoda_orders.assemble(db, seller, packed, [[i.id for i in order.items]])
    await lamoda_orders.generate_packs(db, seller, packed, 1)
    # A delivered order with a partial buyout: the scarf came back, and the return reached the seller.
    bought = await place(scarf, scarf)
    order = await lamoda_orders.confirm(db, seller, bought)
    order = await lamoda_orders.assemble(db, seller, bought, [[i.id for i in order.items]])
    order = await lamoda_orders.generate_packs(db, seller, bought, 1)
    await lamoda_shipping.create_shipment(
        db,
        seller,
        lamoda_shipping.ShipmentIn(
            (
                lamoda_shipping.PalletIn(
                    None,
                    (
                        lamoda_shipping.PackIn(
                            order.pack_numbers[0],
                            tuple(lamoda_shipping.ItemIn(i.id, None, "demo") for i in order.items),
                            "demo",
                        ),
                    ),
                    "demo",
                ),
            )
        ),
    )
    first, second = (i.id for i in order.items)
    for item_id in (first, second):
        for status in ("Shipped", "Arrived to LME", "Left LME", "Given to delivery", "In delivery"):
            await lamoda_orders.world_move(db, seller.id, bought, item_id, status, None)
    await lamoda_orders.world_move(db, seller.id, bought, first, "Delivered", None)
    await lamoda_orders.world_move(db, seller.id, bought, second, "Not bought", "Размер не подошёл")
    await lamoda_orders.world_move(db, seller.id, bought, second, "Sent back to partner", None)
    # An FBO order, and an FBO supply the warehouse accepted with a discrepancy.
    await place(dress, fulfillment=FulfillmentType.FBO)
    supply = await lamoda_supplies.create_supply(
        db,
        seller,
        lamoda_supplies.SupplyIn(
            DEMO_SUPPLY,
            seller.clock.now().date(),
            "ТН-1",
            ("DEMO-PALLET-1",),
            (
                lamoda_supplies.SupplyItemIn(
                    "DEMO-DRESS-RED-42", 5, 349900, None, tuple(_code(n) for n in range(5))
                ),
                lamoda_supplies.SupplyItemIn("DEMO-SCARF-GREY", 10, 189900, None, None),
            ),
        ),
    )
    await lamoda_supplies.world_move(db, seller.id, supply.code, "send", None, None)
    await lamoda_supplies.world_move(
        db,
        seller.id,
        supply.code,
        "accepted",
        None,
        {"DEMO-DRESS-RED-42": Count(5, 1), "DEMO-SCARF-GREY": Count(9)},
    )
