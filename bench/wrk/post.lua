-- One fixed POST, e.g. a logistic-order/get page: wrk -s post.lua with
-- BENCH_PATH (default /seller-api/v1/logistic-order/get), BENCH_BODY (JSON), BENCH_TOKEN (x-auth-token).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH") or "/seller-api/v1/logistic-order/get"
wrk.body = os.getenv("BENCH_BODY")
  or '{"page": 1, "page_size": 50, "filter_status": "AWAITING_ADDING_TO_HANDOVER",'
    .. ' "sort_params": {"order_sort_type": "GMT_CREATE", "query_sort": "DESC"}}'
wrk.headers = common.headers()

done = common.done
