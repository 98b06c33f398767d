"""AliExpress seller API endpoints: authenticate, decode, call one service, encode."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from marketbox.dialects.aliexpress import mapping
from marketbox.dialects.aliexpress import schemas as w
from marketbox.dialects.aliexpress.errors import domain_error_response, error_response
from marketbox.documents import document_url
from marketbox.domain.errors import DomainError
from marketbox.domain.sellers import Seller
from marketbox.httpapi.endpoints import (
    BodyError,
    Endpoint,
    decode_body,
    encode_json,
    json_body,
)
from marketbox.httpapi.faults import with_faults
from marketbox.httpapi.response_cache import ResponseCache
from marketbox.services import handover_lists, labels, logistic_orders, trade_orders
from marketbox.services.faults import FaultInjector
from marketbox.services.tenant_directory import TenantDirectory
from marketbox.store.database import Database

log = logging.getLogger(__name__)

PREFIX = "/seller-api/v1"
ERROR_STATUSES = (400, 401, 403, 404, 409, 429, 500, 503)
FAULT_CODES = {
    429: "ErrorCode.TooManyRequests",
    500: "ErrorCode.InternalError",
    503: "ErrorCode.ServiceUnavailable",
}
TAG = "AliExpress seller API"
Body = TypeVar("Body", bound=w.Request)


@dataclass(frozen=True)
class Call:
    db: Database
    seller: Seller
    request: Request

    def document_url(self, token: str) -> str:
        return document_url(self.request, token)


def ok(data: Any) -> dict[str, Any]:
    return {"data": data, "error": None}


def fault_response(status: int, message: str, headers: dict[str, str]) -> Response:
    """An injected fault (sandbox) in the envelope, with `Retry-After` when the rule gives one."""
    response = error_response(status, FAULT_CODES[status], message)
    response.headers.update(headers)
    return response


def ae_endpoint(
    db: Database,
    directory: TenantDirectory,
    path: str,
    body_type: type[Body],
    data_type: Any,
    summary: str,
    run: Callable[[Call, Body], Awaitable[Any]],
    description: str = "",
    cache: ResponseCache | None = None,
    faults: FaultInjector | None = None,
) -> Endpoint:
    """`cache` is for reads only: their answers depend on the body and the tenant's data alone."""
    decoder = msgspec.json.Decoder(body_type)

    async def handler(request: Request) -> Response:
        try:
            seller = await directory.aliexpress(request.headers.get("x-auth-token"))
            return await with_faults(faults, seller, request, fault_response, lambda: serve(request, seller))
        except DomainError as exc:
            return domain_error_response(exc)
        except Exception:
            log.exception("unhandled error in %s", path)
            return error_response(
                500, "ErrorCode.InternalError", "internal error; the request was not applied"
            )

    async def serve(request: Request, seller: Seller) -> Response:
        try:
            raw = await json_body(request)
            key = (seller.id, seller.created_at, seller.revision, path, raw)
            if cache is not None and (hit := cache.get(key)) is not None:
                return Response(hit, media_type="application/json")
            body = decode_body(decoder, raw)
        except BodyError as exc:
            details = {"field": exc.field} if exc.field else None
            code = "ErrorCode.UnsupportedMediaType" if exc.status == 415 else "ErrorCode.ValidationError"
            return error_response(exc.status, code, str(exc), details)
        encoded = encode_json(await run(Call(db, seller, request), body))
        if cache is not None:
            cache.put(key, encoded)
        return Response(encoded, media_type="application/json")

    return Endpoint(
        method="POST",
        path=PREFIX + path,
        handler=handler,
        summary=summary,
        description=description,
        tag=TAG,
        request=body_type,
        responses={200: w.envelope_schema(data_type), **{status: w.Envelope for status in ERROR_STATUSES}},
        security="aliexpressToken",
    )


async def create(call: Call, body: w.CreateLogisticOrdersRequest) -> Any:
    result = await logistic_orders.create_logistic_orders(
        call.db, call.seller, mapping.new_logistic_orders(body)
    )
    if result.problems:
        errors = w.CreationErrors(
            common_errors=[w.CommonError(c, m) for c, m in result.problems.common] or None,
            item_errors=[
                w.ItemError(e.trade_order_id, e.sku_id, e.code, e.message) for e in result.problems.items
            ]
            or None,
        )
        return ok(w.CreateLogisticOrdersData(orders=[], errors=errors))
    return {
        "data": w.CreateLogisticOrdersData(
            orders=[mapping.created_order(tid, los) for tid, los in result.created.items()]
        )
    }


async def get(call: Call, body: w.GetLogisticOrdersRequest) -> Any:
    query, full = mapping.logistic_order_query(body)
    page, total = await logistic_orders.find_logistic_orders(call.db, call.seller, query)
    return ok(
        w.LogisticOrdersPage(
            logistic_orders=[mapping.logistic_order(d, full=full) for d in page],
            page_info=w.PageInfo(current=body.page, page_size=body.page_size, total=total),
        )
    )


async def delete(call: Call, body: w.DeleteRequest) -> Any:
    outcomes = await logistic_orders.delete_logistic_orders(call.db, call.seller, body.logistic_order_ids)
    return ok(
        w.DeleteData(
            deletion_result_map={
                str(lo_id): w.DeletionResult(
                    deleted_at=mapping.micros(o.deleted_at) if o.deleted_at else None,
                    error_message=o.error_message,
                )
                for lo_id, o in outcomes.items()
            }
        )
    )


async def order_labels(call: Call, body: w.LabelsRequest) -> Any:
    token = await labels.issue_parcel_labels(call.db, call.seller, body.logistic_order_ids)
    return ok(w.LabelData(label_url=call.document_url(token)))


async def pass_today(call: Call, body: w.PassTodayRequest) -> Any:
    lo = await logistic_orders.pass_today(call.db, call.seller, body.order_id)
    return ok(w.PassTodayData(lo.id, mapping.seconds(lo.cut_off_date), lo.handover_list_id or 0))


async def handover_create(call: Call, body: w.HandoverCreateRequest) -> Any:
    list_id = await handover_lists.create_handover_list(
        call.db, call.seller, body.logistic_order_ids, mapping.utc(body.arrival_date, "arrival_date")
    )
    return ok(w.HandoverCreated(list_id))


async def handover_filter(call: Call, body: w.HandoverFilterRequest) -> Any:
    page, total = await handover_lists.find_handover_lists(call.db, call.seller, mapping.handover_query(body))
    return ok(
        w.HandoverListsPage(
            data_source=[mapping.handover_list(h) for h in page],
            page_info=w.PageInfo(current=body.page_number, page_size=body.page_size, total=total),
        )
    )


def _state(h: Any) -> w.HandoverListState:
    return w.HandoverListState(h.id, h.status.value, list(h.logistic_order_ids))


async def handover_add(call: Call, body: w.HandoverEditRequest) -> Any:
    ids = mapping.order_ids("order_ids", body.order_ids)
    return ok(
        _state(await handover_lists.add_logistic_orders(call.db, call.seller, body.handover_list_id, ids))
    )


async def handover_remove(call: Call, body: w.HandoverEditRequest) -> Any:
    ids = mapping.order_ids("order_ids", body.order_ids)
    return ok(
        _state(await handover_lists.remove_logistic_orders(call.db, call.seller, body.handover_list_id, ids))
    )


async def handover_transfer(call: Call, body: w.HandoverTransferRequest) -> Any:
    return ok(
        _state(await handover_lists.transfer_handover_list(call.db, call.seller, body.handover_list_id))
    )


async def handover_label(call: Call, body: w.HandoverLabelRequest) -> Any:
    token = await labels.issue_handover_act(call.db, call.seller, body.handover_list_id)
    return ok(w.LabelData(label_url=call.document_url(token)))


async def order_list(call: Call, body: w.OrderListRequest) -> Any:
    query, show_logistics = mapping.trade_order_query(body)
    orders, total, logistics = await trade_orders.find_trade_orders(call.db, call.seller, query)
    return ok(
        w.OrderListData(
            total_count=total,
            orders=[mapping.trade_order(o, logistics[o.id], show_logistics=show_logistics) for o in orders],
        )
    )


CREATE_NOTE = (
    "All or nothing: when any order or item breaks a rule, nothing is created "
    "and `data.errors` lists every problem."
)


def endpoints(
    db: Database,
    directory: TenantDirectory,
    cache: ResponseCache | None = None,
    faults: FaultInjector | None = None,
) -> list[Endpoint]:
    """Every AliExpress operation; reads (the last column) may be answered from `cache`."""
    table: list[tuple[str, Any, Any, str, Any, bool]] = [
        ("/order/get-order-list", w.OrderListRequest, w.OrderListData, "List trade orders", order_list, True),
        (
            "/logistic-order/create",
            w.CreateLogisticOrdersRequest,
            w.CreateLogisticOrdersData,
            "Create logistic orders (shipments) for trade orders",
            create,
            False,
        ),
        (
            "/logistic-order/get",
            w.GetLogisticOrdersRequest,
            w.LogisticOrdersPage,
            "Find logistic orders",
            get,
            True,
        ),
        (
            "/logistic-order/delete",
            w.DeleteRequest,
            w.DeleteData,
            "Delete logistic orders not yet handed over",
            delete,
            False,
        ),
        (
            "/logistic-order/pass-today",
            w.PassTodayRequest,
            w.PassTodayData,
            "Move a logistic order to the spare shipping day",
            pass_today,
            False,
        ),
        (
            "/labels/orders/get",
            w.LabelsRequest,
            w.LabelData,
            "Get a PDF of shipping labels",
            order_labels,
            False,
        ),
        (
            "/handover-list/create",
            w.HandoverCreateRequest,
            w.HandoverCreated,
            "Create a handover list",
            handover_create,
            False,
        ),
        (
            "/handover-list/get-by-filter",
            w.HandoverFilterRequest,
            w.HandoverListsPage,
            "Find handover lists",
            handover_filter,
            True,
        ),
        (
            "/handover-list/add-logistic-orders",
            w.HandoverEditRequest,
            w.HandoverListState,
            "Add logistic orders to a handover list",
            handover_add,
            False,
        ),
        (
            "/handover-list/remove-logistic-orders",
            w.HandoverEditRequest,
            w.HandoverListState,
            "Remove logistic orders from a handover list",
            handover_remove,
            False,
        ),
        (
            "/handover-list/transfer",
            w.HandoverTransferRequest,
            w.HandoverListState,
            "Close a handover list and hand it to the carrier",
            handover_transfer,
            False,
        ),
        (
            "/labels/handover-lists/get",
            w.HandoverLabelRequest,
            w.LabelData,
            "Get the PDF of a handover list",
            handover_label,
            False,
        ),
    ]
    return [
        ae_endpoint(
            db,
            directory,
            path,
            body,
            data,
            summary,
            run,
            description=CREATE_NOTE if run is create else "",
            cache=cache if cacheable else None,
            faults=faults,
        )
        for path, body, data, summary, run, cacheable in table
    ]
