-- Shared part of the wrk scripts (wrk runs LuaJIT = Lua 5.1: no bit operators, no `//`).
-- Loaded with dofile() by single_event.lua, batch.lua and mixed.lua; defines globals only.
--
-- Event stream: the whole life of a job in six events. Event n of a thread belongs to job
-- floor(n/6): n%6 == 0 is the job's "started", 1..4 the "finished" events (with the four
-- metrics) of its four subjobs (wafers), 5 the job's end: 85 % finished/succeeded, 10 %
-- finished/failed (wafer 3 failed too), 5 % canceled, like the loaded data of the query
-- scenarios, so that the jobs the ingest scenarios leave behind look like a fab's. Keys and
-- ids are unique per (run, thread, n): `run` is random per thread and at most 0x7fffffff, so ids
-- never meet the bench's loaded data (f1…/f2…) or \copy rows (e1…/e2…). `at` is the
-- thread's start time plus n microseconds (mod 1 s).
--
-- Checks: the scripts pass every answer to check(), which counts it by status and looks at every
-- 10th body. done() prints one line the runner parses:
--   check: non200=N s503=N bad_body=N checked=N ingest=N query=N
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  run = math.random(0, 0x7fffffff)
  base_at = os.date("!%Y-%m-%dT%H:%M:%S")
  counter, answers, non200, s503, bad_body, checked, ingest, query = 0, 0, 0, 0, 0, 0, 0, 0
  first_bad = ""
  init_args = args
end

local APP = '"app":{"app_id":"6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e","name":"litho-scan","version":"1.4.2"}'
local META = '"metadata":{"tool":"ASML-%02d","recipe":"R%d"}'

-- A valid v4-shaped UUID; kind 0 = job, 1 = subjob.
local function uuid(kind, n)
  return string.format("%08x-%04x-4%03x-8000-%012x", run, tid % 65536, kind, n)
end

-- The JSON text of the thread's next event (SPEC §2).
function next_event()
  local n = counter
  counter = counter + 1
  local job, k = math.floor(n / 6), n % 6
  local at = string.format("%s.%06dZ", base_at, n % 1000000)
  local meta = string.format(META, job % 16, job % 40)
  local head = string.format('{"idempotency_key":"w-%d-%d-%d","site_id":"fab1",%s,"entity":',
                             run, tid, n, APP)
  local fate = job % 20  -- 3 and 11: failed, 17: canceled, else succeeded
  if k == 0 then
    return string.format('%s{"type":"job","id":"%s","business_key":"lot-%d"},' ..
                         '"event":{"kind":"started","at":"%s",%s}}',
                         head, uuid(0, job), job, at, meta)
  elseif k == 5 then
    local kind, status = "finished", "succeeded"
    if fate == 3 or fate == 11 then status = "failed" elseif fate == 17 then kind, status = "canceled", "canceled" end
    return string.format('%s{"type":"job","id":"%s","business_key":"lot-%d"},' ..
                         '"event":{"kind":"%s","at":"%s","status":"%s","metrics":{"duration_s":%d.5},%s}}',
                         head, uuid(0, job), job, kind, at, status, 300 + job % 1500, meta)
  end
  local status = ((fate == 3 or fate == 11) and k == 3) and "failed" or "succeeded"
  return string.format(
    '%s{"type":"subjob","id":"%s","parent_id":"%s","business_key":"lot-%d","sub_key":"wafer-%d"},' ..
    '"event":{"kind":"finished","at":"%s","status":"%s","metrics":{"duration_s":%d.5,' ..
    '"cpu_user_s":%d.25,"cpu_system_s":%d.125,"mem_max_mb":%d.5},%s}}',
    head, uuid(1, n), uuid(0, job), job, k, at, status,
    60 + n % 900, 20 + n % 300, 2 + n % 30, 512 + n % 2048, meta)
end

-- Counts the answer; on every 10th one, `want` (a plain substring, or a list of them of which
-- one suffices) must be in the body.
local function has(body, want)
  if type(want) == "string" then return string.find(body, want, 1, true) ~= nil end
  for _, w in ipairs(want) do
    if string.find(body, w, 1, true) then return true end
  end
  return false
end

function check(status, body, want)
  answers = answers + 1
  if status ~= 200 then
    non200 = non200 + 1
    if status == 503 then s503 = s503 + 1 end
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 160) end
  elseif want and answers % 10 == 1 then
    checked = checked + 1
    if not has(body, want) then
      bad_body = bad_body + 1
      if first_bad == "" then first_bad = "200 " .. string.sub(body, 1, 160) end
    end
  end
end

function done(summary, latency, requests)
  local t = {non200 = 0, s503 = 0, bad_body = 0, checked = 0, ingest = 0, query = 0}
  local bad = ""
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + (thread:get(name) or 0) end
    if bad == "" then bad = thread:get("first_bad") or "" end
  end
  io.write(string.format("check: non200=%d s503=%d bad_body=%d checked=%d ingest=%d query=%d\n",
                         t.non200, t.s503, t.bad_body, t.checked, t.ingest, t.query))
  if bad ~= "" then io.write("first bad answer: ", (string.gsub(bad, "\n", " ")), "\n") end
end
