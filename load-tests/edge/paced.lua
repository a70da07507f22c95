-- Paces each wrk connection: after every response it waits about PACE_MS (default 150, drawn
-- uniformly from half to one and a half times that, so connections do not move in lockstep) before
-- the next request. Both caches get the same offered load, below what either, or wrk's core,
-- saturates at. wrk times a request from when it is sent: the pause is not in the latency.
local pace = tonumber(os.getenv("PACE_MS") or "150")

function delay()
  return math.floor(pace * (0.5 + math.random()))
end
