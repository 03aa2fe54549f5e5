-- wrk's report for the load benchmark (bench/load/drive.py): one line of JSON at the end,
-- with the percentiles wrk does not print (p95) and the answers that were not a page
-- (redirects, e.g. to the sign-in page when a session is lost, count against a route).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  redirects = 0
  server_errors = 0
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    redirects = redirects + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local moved, failed = 0, 0
  for _, thread in ipairs(threads) do
    moved = moved + (thread:get("redirects") or 0)
    failed = failed + (thread:get("server_errors") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "redirects": %d, "server_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, moved, failed,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
