-- logistic-order/get with a random page (1..BENCH_PAGES, default 20) and a random filter_status
-- among BENCH_STATUSES (comma-separated; "ALL" means no filter), sorted by gmt_create DESC:
-- so the figure is not one repeated query. Bodies are pre-formatted in init(); the choice is per request.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

local requests = {}

function init(_)
  local pages = tonumber(os.getenv("BENCH_PAGES") or "20")
  local statuses = os.getenv("BENCH_STATUSES") or "ALL,DELIVERED,DELIVERING,AWAITING_ADDING_TO_HANDOVER"
  local path = os.getenv("BENCH_PATH") or "/seller-api/v1/logistic-order/get"
  local page_size = tonumber(os.getenv("BENCH_PAGE_SIZE") or "50")
  local headers = common.headers()
  for status in string.gmatch(statuses, "[^,]+") do
    local filter = ""
    if status ~= "ALL" then
      filter = string.format('"filter_status": "%s", ', status)
    end
    for page = 1, pages do
      local body = string.format(
        '{"page": %d, "page_size": %d, %s"sort_params": {"order_sort_type": "GMT_CREATE", "query_sort": "DESC"}}',
        page, page_size, filter)
      requests[#requests + 1] = wrk.format("POST", path, headers, body)
    end
  end
  math.randomseed(tonumber(os.getenv("BENCH_SEED") or "1"))
end

function request()
  return requests[math.random(#requests)]
end

done = common.done
