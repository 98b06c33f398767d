"""`marketbox orders ...` and `marketbox events ...`: make the world happen to a tenant (a buyer orders,
a courier or warehouse moves things) through a running server's sandbox API."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from marketbox.sandbox_client import DEFAULT_SERVER, AsJson, SellerId, Server, call, console, print_json

orders = typer.Typer(help="A buyer places orders (world events).", no_args_is_help=True)
events = typer.Typer(
    help="World events: items, supplies, carriers, anything under the tenant.", no_args_is_help=True
)
Lines = Annotated[list[str], typer.Argument(help="SKU or SKU:QUANTITY, one per line of the order")]


def _lines(lines: list[str]) -> list[tuple[str, int]]:
    parsed = []
    for line in lines:
        sku, _, quantity = line.partition(":")
        if not sku or (quantity and not quantity.isdigit()):
            raise typer.BadParameter(f"{line!r}: expected SKU or SKU:QUANTITY")
        parsed.append((sku, int(quantity or 1)))
    return parsed


def _done(answer: Any, as_json: bool, summary: str) -> None:
    if as_json:
        print_json(answer)
    else:
        console.print(summary, highlight=False)


@orders.command()
def aliexpress(
    lines: Lines,
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    trade_order_id: Annotated[int | None, typer.Option(help="pin the order id")] = None,
    as_json: AsJson = False,
) -> None:
    """An AliExpress buyer orders (SKU ids are numbers)."""
    body: dict[str, Any] = {"lines": []}
    for sku, quantity in _lines(lines):
        if not sku.isdigit():
            raise typer.BadParameter(f"{sku!r}: AliExpress SKU ids are numbers")
        body["lines"].append({"sku_id": int(sku), "quantity": quantity})
    if trade_order_id is not None:
        body["trade_order_id"] = trade_order_id
    order = call(server, "POST", f"/sandbox/tenants/{seller}/aliexpress/orders", body)
    _done(order, as_json, f"trade order [green]{order['trade_order_id']}[/] ({order['status']})")


@orders.command()
def lamoda(
    lines: Lines,
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    fbo: Annotated[bool, typer.Option("--fbo", help="fulfilled by Lamoda (default: FBS)")] = False,
    as_json: AsJson = False,
) -> None:
    """A Lamoda buyer orders (one item per unit)."""
    body = {
        "items": [{"sku": sku, "quantity": quantity} for sku, quantity in _lines(lines)],
        "fulfillment_type": "FBO" if fbo else "FBS",
    }
    order = call(server, "POST", f"/sandbox/tenants/{seller}/lamoda/orders", body)
    items = ", ".join(f"{i['id']} {i['sku']}" for i in order["items"])
    _done(order, as_json, f"order [green]{order['order_nr']}[/] ({order['status']}): {items}")


@events.command("lamoda-item")
def lamoda_item(
    order_nr: str,
    item_id: int,
    status: str,
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    reason: Annotated[str | None, typer.Option(help="a non-purchase reason, for Not bought")] = None,
    as_json: AsJson = False,
) -> None:
    """Move a Lamoda item (courier, buyer, pickup point, return desk) to STATUS."""
    body: dict[str, Any] = {"status": status}
    if reason is not None:
        body["reason"] = reason
    path = f"/sandbox/tenants/{seller}/lamoda/orders/{order_nr}/items/{item_id}/status"
    order = call(server, "POST", path, body)
    _done(order, as_json, f"order {order['order_nr']}: {order['status']}")


@events.command("lamoda-supply")
def lamoda_supply(
    code: str,
    status: str,
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    reason: Annotated[str | None, typer.Option(help="why (validation_error)")] = None,
    item: Annotated[
        list[str] | None, typer.Option(help="SKU:RECEIPT[:DAMAGED] counted at acceptance (repeatable)")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Lamoda's warehouse moves an FBO supply (send, validation_error, on_acceptance, accepted)."""
    body: dict[str, Any] = {"status": status}
    if reason is not None:
        body["reason"] = reason
    if item:
        counts = []
        for raw in item:
            sku, *numbers = raw.split(":")
            if not sku or not 1 <= len(numbers) <= 2 or not all(n.isdigit() for n in numbers):
                raise typer.BadParameter(f"{raw!r}: expected SKU:RECEIPT or SKU:RECEIPT:DAMAGED")
            counts.append(
                {
                    "sku": sku,
                    "receipt": int(numbers[0]),
                    "damaged": int(numbers[-1]) if len(numbers) == 2 else 0,
                }
            )
        body["items"] = counts
    supply = call(server, "POST", f"/sandbox/tenants/{seller}/lamoda/supplies/{code}/status", body)
    _done(supply, as_json, f"supply {code}: {supply['status']}")


@events.command()
def send(
    path: Annotated[str, typer.Argument(help="under the tenant, e.g. lamoda/orders/RU.../cancel")],
    seller: SellerId,
    server: Server = DEFAULT_SERVER,
    data: Annotated[str | None, typer.Option(help="the JSON body")] = None,
) -> None:
    """Any world event: POST to /sandbox/tenants/SELLER/PATH (see /docs for them all)."""
    try:
        body = json.loads(data) if data is not None else None
    except ValueError as exc:
        raise typer.BadParameter(f"--data is not JSON: {exc}") from None
    print_json(call(server, "POST", f"/sandbox/tenants/{seller}/{path.strip('/')}", body))
