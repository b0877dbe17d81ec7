-- wrk script: POST /v1/event with a unique, valid event per request (SPEC §2).
-- Each request carries a fresh idempotency key and job id; `at` is the time the thread started
-- (well within the accepted window for any run shorter than MAX_FUTURE_SKEW_S/age limits).
local counter = 0
local thread_id = 0
local started_at = os.date("!%Y-%m-%dT%H:%M:%S.000000Z")

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

-- A valid v4-shaped UUID unique per (salt, n); wrk's LuaJIT has no bit operators, so plain %x.
local function uuid_from(n, salt)
  return string.format("%08x-%04x-4000-8000-%012x", salt, (tid or 0) % 65536, n)
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  run = math.random(0, 0x7fffffff)
end

request = function()
  counter = counter + 1
  local n = counter
  local body = string.format(
    '{"idempotency_key":"wrk-%d-%d-%d","site_id":"fab1",' ..
    '"app":{"app_id":"6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e","name":"litho-scan","version":"1.4.2"},' ..
    '"entity":{"type":"job","id":"%s","business_key":"lot-%d"},' ..
    '"event":{"kind":"started","at":"%s","metadata":{"tool":"ASML-07","recipe":"R12"}}}',
    run, tid or 0, n, uuid_from(n, run), n % 1000, started_at)
  return wrk.format("POST", "/v1/event", {["Content-Type"] = "application/json"}, body)
end

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d  p50: %.2f ms  p99: %.2f ms\n",
                         summary.errors.status, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
end
