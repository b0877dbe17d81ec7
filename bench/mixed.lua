-- wrk script: a mixed load, per request 90 % POST /v1/event (the single_event.lua stream) and
-- 10 % GET /v1/jobs?status=failed&limit=100, chosen at random. Every answer must be 200; every
-- 10th body must be an insert or a job list. done() reports how many of each were sent.
-- Usage: wrk -t2 -c64 -d10s --latency -s bench/mixed.lua http://127.0.0.1:PORT
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = {["Content-Type"] = "application/json"}
local query_path = "/v1/jobs?status=failed&limit=100"

request = function()
  if math.random() < 0.1 then
    query = query + 1
    return wrk.format("GET", query_path)
  end
  ingest = ingest + 1
  return wrk.format("POST", "/v1/event", headers, next_event())
end

response = function(status, headers, body)
  check(status, body, {'"status":"inserted"', '"items":'})
end
