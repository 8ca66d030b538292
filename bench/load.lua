-- wrk script for bench/run.py: each request takes a random path from a file (one per line);
-- at the end one line "BENCH_JSON {...}" gives throughput and latency percentiles (p95 included,
-- which wrk's own --latency table does not print) and how many responses the page cache served
-- (header X-Pantau-Cache: hit or miss, set by pantau.core.pagecache.render_cached).
--   wrk -t2 -c20 -d15s -s bench/load.lua http://127.0.0.1:PORT -- urls.txt

local paths = {}
local threads = {}
local thread_count = 0
hits, misses, non200 = 0, 0, 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or error("usage: wrk ... -s load.lua URL -- urls.txt")
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. file) end
  math.randomseed(os.time() * 1000 + (thread_number or 0) * 7919)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
  local cached = headers["X-Pantau-Cache"] or headers["x-pantau-cache"]
  if cached == "hit" then hits = hits + 1 elseif cached == "miss" then misses = misses + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local ms = function(us) return us / 1000.0 end
  local h, m, n = 0, 0, 0
  for _, t in ipairs(threads) do
    h = h + (t:get("hits") or 0)
    m = m + (t:get("misses") or 0)
    n = n + (t:get("non200") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,' ..
    '"p50_ms":%.3f,"p75_ms":%.3f,"p90_ms":%.3f,"p95_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"cache_hits":%d,"cache_misses":%d,"non200":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    ms(latency:percentile(50)), ms(latency:percentile(75)), ms(latency:percentile(90)),
    ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max), ms(latency.mean),
    h, m, n, e.connect, e.read, e.write, e.status, e.timeout))
end
