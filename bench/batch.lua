-- wrk script: POST /v1/events/batch, a JSON array of SIZE unique valid events per request
-- (default 100; the event stream of single_event.lua, six events per job, batches cutting across
-- jobs). Every answer must be 200; every 10th body must report "rejected":0.
-- Usage: wrk -t2 -c8 -d10s --latency -s bench/batch.lua http://127.0.0.1:PORT -- 1000
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = {["Content-Type"] = "application/json"}
local size = 100

local common_init = init
init = function(args)
  common_init(args)
  size = tonumber(args[1]) or 100
end

request = function()
  local items = {}
  for i = 1, size do items[i] = next_event() end
  ingest = ingest + size
  return wrk.format("POST", "/v1/events/batch", headers, "[" .. table.concat(items, ",") .. "]")
end

response = function(status, headers, body)
  check(status, body, '"rejected":0')
end
