-- wrk script for bench/complaints.py: POSTs of the public report form /lapor/, each a new report with a
-- client token of its own, sent from an address of its own (X-Forwarded-For, read by the app with
-- PROXY_COUNT=1 as behind nginx: the per-address rate limit runs on every request and no address sends
-- twice). The lines of the bodies file are "<address>\t<urlencoded form>" written by bench/complaints.py;
-- thread k of n sends lines k, k+n, k+2n ... in turn, so no token is sent twice unless the file runs out
-- (counted as "reused"). A status in the success list (args[4], default "302") is a filed report. At the end
-- one line "BENCH_JSON {...}" gives throughput, latency percentiles and the counts.
--   wrk -t2 -c20 -d15s -s bench/complaint_intake.lua -H "Cookie: csrftoken=..." http://127.0.0.1:PORT \
--       -- /lapor/ bodies.txt 2 302

local path
local lines = {}
local threads = {}
local success = {}
sent, found, other, reused, other_statuses, sample = 0, 0, 0, 0, "", ""

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  path = args[1] or error("usage: ... -- /lapor/ bodies.txt threads [success statuses]")
  local n = tonumber(args[3] or "1")
  for code in string.gmatch(args[4] or "302", "%d+") do success[tonumber(code)] = true end
  local i = 0
  for line in io.lines(args[2]) do
    if #line > 0 then
      if i % n == (thread_number or 1) - 1 then lines[#lines + 1] = line end
      i = i + 1
    end
  end
  if #lines == 0 then error("no bodies in " .. args[2]) end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  sent = sent + 1
  local line = lines[sent]
  if line == nil then
    reused = reused + 1
    line = lines[(sent - 1) % #lines + 1]
  end
  local tab = string.find(line, "\t", 1, true)
  wrk.headers["X-Forwarded-For"] = string.sub(line, 1, tab - 1)
  return wrk.format("POST", path, nil, string.sub(line, tab + 1))
end

function response(status, headers, body)
  if success[status] then
    found = found + 1
  else
    other = other + 1
    if #other_statuses < 200 then other_statuses = other_statuses .. status .. " " end
    if #sample == 0 then  -- the first refusal's text, JSON-safe
      sample = string.sub(string.gsub(string.gsub(body or "", "[^%w%.,:/%- ]", " "), "%s+", " "), 1, 400)
    end
  end
end

function done(summary, latency, requests)
  local ms = function(us) return us / 1000.0 end
  local s, f, o, r, codes, first = 0, 0, 0, 0, "", ""
  for _, t in ipairs(threads) do
    s = s + (t:get("sent") or 0)
    f = f + (t:get("found") or 0)
    o = o + (t:get("other") or 0)
    r = r + (t:get("reused") or 0)
    codes = codes .. (t:get("other_statuses") or "")
    if #first == 0 then first = t:get("sample") or "" end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"rps":%.2f,"sent":%d,"success":%d,"failed":%d,' ..
    '"reused":%d,"p50_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"other_statuses":"%s","sample":"%s"}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), s, f, o, r,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)), ms(latency.max), e.connect, e.read, e.write, e.status, e.timeout,
    codes, first))
end
