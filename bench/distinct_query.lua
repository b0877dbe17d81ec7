-- Makes every request of an uncached query scenario distinct, so that none shares another's
-- query (the Local API runs concurrent misses of one answer once: single flight) and each
-- measures a query of its own: the `to` bound differs by microseconds, the answer does not.
-- Answers are checked as common.lua checks them (every one 200, every 10th a list).
-- Args: BASE_TARGET TO_PREFIX — requests are BASE_TARGET&to=TO_PREFIX.<6 digits>Z.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local common_init = init
function init(args)
  common_init(args)
  base, to_prefix = args[1], args[2]
end

request = function()
  counter = counter + 1
  query = query + 1
  local micros = (counter * 8 + (tid or 0)) % 1000000
  return wrk.format("GET", string.format("%s&to=%s.%06dZ", base, to_prefix, micros))
end

response = function(status, headers, body)
  check(status, body, '"items":')
end
