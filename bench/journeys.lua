-- Multi-step journeys for wrk (bench/run.py). Run with as many threads as connections
-- (-t N -c N): a wrk thread then drives exactly one connection, so its Lua state is one client's
-- state (its cart, its refresh token). wrk measures every request's latency in C.
--
--   wrk -t16 -c16 -d10s -s bench/journeys.lua URL -- <add|checkout|refresh> <api key> <variant id>
--       <check payment method id>        (refresh: BENCH_REFRESH_TOKENS = file, one per line)

local tokens = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("number", count)
  local path = os.getenv("BENCH_REFRESH_TOKENS")
  if path and #tokens == 0 then
    for line in io.lines(path) do
      tokens[#tokens + 1] = line
    end
  end
  if #tokens > 0 then
    thread:set("refresh", tokens[count])
  end
end

local mode, key, variant, check
local step, cart, cart_token, adds = "new_cart", nil, nil, 0
local address = '{"email":"bench@example.com","use_shipping":true,"shipping_address":'
  .. '{"first_name":"Bench","last_name":"Shopper","address1":"350 Fifth Avenue",'
  .. '"city":"New York","postal_code":"10118","state_abbr":"NY","country_iso":"US"}}'

function init(args)
  mode, key, variant, check = args[1], args[2], args[3], args[4]
end

local function call(method, path, body)
  local headers = { ["X-Spree-Api-Key"] = key, ["Content-Type"] = "application/json" }
  if cart_token then
    headers["X-Spree-Token"] = cart_token
  end
  return wrk.format(method, "/api/v3/store" .. path, headers, body)
end

function request()
  if mode == "refresh" then
    return call("POST", "/auth/refresh", '{"refresh_token":"' .. (refresh or "") .. '"}')
  end
  if step == "new_cart" then
    cart_token = nil
    return call("POST", "/carts", nil)
  end
  local base = "/carts/" .. cart
  if step == "item" then
    local quantity = mode == "checkout" and 2 or 1
    return call("POST", base .. "/items",
      '{"variant_id":"' .. variant .. '","quantity":' .. quantity .. '}')
  elseif step == "address" then
    return call("PATCH", base, address)
  elseif step == "payment" then
    return call("POST", base .. "/payments", '{"payment_method_id":"' .. check .. '"}')
  else -- complete
    return call("POST", base .. "/complete", nil)
  end
end

local checkout_next = { item = "address", address = "payment", payment = "complete",
  complete = "new_cart" }

function response(status, headers, body)
  if mode == "refresh" then
    if status == 200 then
      refresh = string.match(body, '"refresh_token":"([^"]+)"')
    end
    return
  end
  if status >= 400 then
    step = "new_cart" -- counted as an error by wrk; start over with a fresh cart
    return
  end
  if step == "new_cart" then
    cart = string.match(body, '^{"id":"([^"]+)"')
    cart_token = string.match(body, '"token":"([^"]+)"')
    step, adds = "item", 0
  elseif mode == "add" then
    adds = adds + 1
    if adds >= 100 then -- a fresh cart every 100 adds keeps the lines few
      step = "new_cart"
    end
  else
    step = checkout_next[step]
  end
end

-- bench/run.py appends its `done` report (WRK_REPORT) to this script.
