-- wrk script of benchmarks/confirm.sh: every confirmation link is clicked exactly once.
-- Thread i of T takes the links on lines i, i+T, i+2T, ... of $CONFIRM_LINKS (one "/c/token" path a line). Once a
-- thread has sent all of its links, a connection that asks for more gets a filler, "/c" (no token: no route matches,
-- the framework answers a bare 404 and nothing is recorded); a thread stops itself when every one of its links has
-- been answered and prints "links-done", so the C# side can end the run (SIGINT) as soon as all threads have.
-- Fillers are at most one per connection per thread, are told apart by their bare 404 (a link the gateway refuses
-- gets its HTML error page, and counts as answered but not ok), and are reported separately.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(os.getenv("CONFIRM_THREADS"))
  links = {}
  count = 0
  local line_number = 0
  for line in io.lines(os.getenv("CONFIRM_LINKS")) do
    if line_number % total == index then
      count = count + 1
      links[count] = wrk.format("GET", line)
    end
    line_number = line_number + 1
  end
  next_link = 1
  answered = 0
  not_ok = 0
  fillers = 0
  filler = wrk.format("GET", "/c")
  -- wrk calls request() once on thread 0 before it runs (script_verify_request, to count pipelined requests) and
  -- never sends that request: without this, thread 0's first link would never be clicked.
  verifying = index == 0
end

function request()
  if verifying then
    verifying = false
    return links[1]
  end
  if next_link <= count then
    local r = links[next_link]
    next_link = next_link + 1
    return r
  end
  fillers = fillers + 1
  return filler
end

function response(status, headers, body)
  if status == 404 and not string.find(body, "<html", 1, true) then
    return
  end
  answered = answered + 1
  if status ~= 200 then
    not_ok = not_ok + 1
  end
  if answered == count then
    io.write("links-done " .. index .. "\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered_all, not_ok_all, fillers_all, links_all = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    answered_all = answered_all + thread:get("answered")
    not_ok_all = not_ok_all + thread:get("not_ok")
    fillers_all = fillers_all + thread:get("fillers")
    links_all = links_all + thread:get("count")
  end
  io.write(string.format(
    "WRK links=%d answered=%d not_ok=%d fillers=%d requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    links_all, answered_all, not_ok_all, fillers_all, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
