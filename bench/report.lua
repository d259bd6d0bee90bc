-- wrk script: rotate over the paths given after "--" (or request the URL's own path),
-- and print one machine-readable line with the latency percentiles and the throughput.
--   wrk -t2 -c8 -d20s -s bench/report.lua http://127.0.0.1:8100 -- /en/library/?q=a /en/library/?q=b

local paths = {}
local counter = 0

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
end

function request()
  if #paths == 0 then
    return wrk.format(nil)
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "BENCH p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f rps=%.1f requests=%d errors=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests / seconds, summary.requests,
    errors, summary.errors.status
  ))
end
