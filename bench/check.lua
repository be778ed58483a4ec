-- wrk script for bench.py: checks every response and reports one line of JSON.
--
--   wrk ... --script bench/check.lua URL -- METHOD EXPECTED_STATUS [BODY]
--
-- GET sends the same request every time. POST sends BODY plus a fresh token=<uuid4> on
-- every request, so each post logs a new session instead of being taken for a re-send.
-- A response with another status (or a POST not redirected to /today/) is counted as
-- unexpected, and bench.py fails loudly on any.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  method, expected, body = args[1], tonumber(args[2]), args[3]
  unexpected, example = 0, nil
  math.randomseed(os.time() * 1000 + id)
  if method == "POST" then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  else
    request = nil -- no request function: wrk builds the GET once and reuses it
  end
end

local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    return string.format("%x", c == "x" and math.random(0, 15) or math.random(8, 11))
  end))
end

function request()
  return wrk.format("POST", nil, nil, body .. "&token=" .. uuid4())
end

function response(status, headers)
  local ok = status == expected
  if ok and method == "POST" then
    ok = headers["Location"] == "/today/"
  end
  if not ok then
    unexpected = unexpected + 1
    example = example or (status .. " " .. (headers["Location"] or ""))
  end
end

function done(summary, latency)
  local unexpected_total, first_example = 0, ""
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + thread:get("unexpected")
    first_example = thread:get("example") or first_example
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"socket_errors": %d, "unexpected": %d, "example": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout,
    unexpected_total, first_example
  ))
end
