-- Makes every request of an uncached query scenario distinct, so that none shares another's
-- query (the Local API runs concurrent misses of one answer once: single flight) and each
-- measures a query of its own: the `to` bound differs by microseconds, the answer does not.
-- Args: BASE_TARGET TO_PREFIX — requests are BASE_TARGET&to=TO_PREFIX.<6 digits>Z.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  base, to_prefix = args[1], args[2]
  counter = 0
end

function request()
  counter = counter + 1
  local micros = (counter * 8 + (tid or 0)) % 1000000
  return wrk.format("GET", string.format("%s&to=%s.%06dZ", base, to_prefix, micros))
end
