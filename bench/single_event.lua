-- wrk script: POST /v1/event, one unique valid event per request (the event stream of
-- common.lua: a job's start, its four subjobs' ends, the job's end). Every answer must be
-- 200; every 10th body must say "inserted" (a "duplicate" would mean the keys collided).
-- Usage: wrk -t2 -c64 -d10s --latency -s bench/single_event.lua http://127.0.0.1:PORT
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local headers = {["Content-Type"] = "application/json"}

request = function()
  ingest = ingest + 1
  return wrk.format("POST", "/v1/event", headers, next_event())
end

response = function(status, headers, body)
  check(status, body, '"status":"inserted"')
end
