"""Sandbox world events on a Lamoda seller's objects: the buyer cancels an order or takes part of it, the
warehouse reports marking codes, the return desk sends return boxes, the courier receives a shipment."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from marketbox.httpapi.endpoints import Endpoint, json_response
from marketbox.sandbox import lamoda_world_schemas as w
from marketbox.sandbox import schemas as s
from marketbox.sandbox.routes import _seller_id, lamoda_order_out, path_int, sandbox_endpoint
from marketbox.services import lamoda_world
from marketbox.store.database import Database


def _shipment_id(request: Request) -> int:
    return path_int(request, "shipment_id", "InvalidShipmentId")


def endpoints(db: Database) -> list[Endpoint]:
    async def cancel(request: Request, _: None) -> Response:
        order = await lamoda_world.cancel_order(db, _seller_id(request), request.path_params["order_nr"])
        return json_response(lamoda_order_out(order))

    async def buyout(request: Request, body: w.LamodaBuyoutIn) -> Response:
        lines = [
            lamoda_world.NotBoughtIn(line.item_id, line.reason, f"not_bought[{i}]")
            for i, line in enumerate(body.not_bought)
        ]
        order = await lamoda_world.buyout(db, _seller_id(request), request.path_params["order_nr"], lines)
        return json_response(lamoda_order_out(order))

    async def marking_codes(request: Request, body: w.LamodaMarkingCodesIn) -> Response:
        wanted = None
        if body.items is not None:
            wanted = [
                lamoda_world.CodeIn(line.item_id, line.datamatrix, f"items[{i}]")
                for i, line in enumerate(body.items)
            ]
        order, codes = await lamoda_world.assign_codes(
            db, _seller_id(request), request.path_params["order_nr"], wanted
        )
        marked = [
            w.LamodaMarkedItemOut(i.id, i.external_sku, i.status.value, codes[i.id])
            for i in order.items
            if i.id in codes
        ]
        return json_response(w.LamodaMarkingCodesOut(order.order_nr, marked))

    async def returns(request: Request, body: w.LamodaReturnIn) -> Response:
        boxes = [
            [
                lamoda_world.ReturnIn(line.item_id, line.reason, f"boxes[{b}].items[{i}]")
                for i, line in enumerate(box.items)
            ]
            for b, box in enumerate(body.boxes)
        ]
        sent = await lamoda_world.send_returns(db, _seller_id(request), boxes)
        out = [
            w.LamodaReturnBoxOut(
                box.box.id,
                box.box.barcode,
                box.box.status.value,
                [
                    w.LamodaReturnItemOut(
                        item.id,
                        item.order_item_id,
                        order.order_nr,
                        item.return_type,
                        item.status.value,
                        item.reason,
                    )
                    for item, order in box.items
                ],
            )
            for box in sent
        ]
        return json_response(w.LamodaReturnOut(out), 201)

    async def receive(request: Request, _: None) -> Response:
        shipment, orders = await lamoda_world.receive_shipment(db, _seller_id(request), _shipment_id(request))
        items = []
        without_code = shipment.without_code
        for item_id in shipment.item_ids:
            order = orders[item_id]
            item = order.item(item_id)
            assert item is not None
            items.append(
                w.LamodaShipmentItemOut(item_id, order.order_nr, item.status.value, item_id in without_code)
            )
        numbers = sorted({o.order_nr for o in orders.values()})
        return json_response(w.LamodaShipmentOut(shipment.id, shipment.status.value, numbers, items))

    base = "/sandbox/tenants/{seller_id}/lamoda"
    order = base + "/orders/{order_nr}"
    return [
        sandbox_endpoint(
            "POST",
            order + "/cancel",
            "The buyer cancels a Lamoda order before it is shipped (every live item becomes Canceled)",
            cancel,
            None,
            s.LamodaOrderOut,
        ),
        sandbox_endpoint(
            "POST",
            order + "/buyout",
            "The buyer decides at the door: listed items not bought (with a reason), the others bought",
            buyout,
            w.LamodaBuyoutIn,
            s.LamodaOrderOut,
        ),
        sandbox_endpoint(
            "POST",
            order + "/marking-codes",
            "Lamoda's warehouse reports the marking codes of an FBO order's units (sent by notification)",
            marking_codes,
            w.LamodaMarkingCodesIn,
            w.LamodaMarkingCodesOut,
        ),
        sandbox_endpoint(
            "POST",
            base + "/returns",
            "Lamoda's return desk sends return boxes of FBS items to the seller",
            returns,
            w.LamodaReturnIn,
            w.LamodaReturnOut,
            201,
        ),
        sandbox_endpoint(
            "POST",
            base + "/shipments/{shipment_id}/receive",
            "Lamoda's courier receives an FBS shipment (its items become Shipped)",
            receive,
            None,
            w.LamodaShipmentOut,
        ),
    ]
