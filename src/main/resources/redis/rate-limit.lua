-- Per-minute limits of one scope, shared by every gateway instance: the Redis twin of Bucket.java.
-- KEYS: the scope's requests, input-token and output-token buckets, each a hash {level, ms}.
-- ARGV[1] 'acquire': ARGV[2..4] the limits per minute (0 = unlimited), ARGV[5..7] the units the call takes.
--   Returns {0, 0} when granted, else {dimension 1..3 with the longest wait, milliseconds to wait}; a denial
--   writes nothing.
-- ARGV[1] 'move': ARGV[2..4] the limits, ARGV[5..7] units to take (positive) or give back (negative).
--
-- A bucket holds a minute's allowance in parts, 60 000 to a unit, and refills perMinute parts per millisecond of
-- Redis time (TIME, the one clock all instances share): integers only, so nothing drifts. Lua numbers are
-- doubles, exact below 2^53 parts: limits up to 150 billion a minute. A missing key is a full bucket, so a
-- key may expire once its bucket would be full again; one more minute covers a limit raised meanwhile.

local PARTS = 60000
local MINUTE_MS = 60000
local FLOOR = -1e18 -- deepest debt kept; also keeps every value below 2^63 for string.format('%d')

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function ceil_div(a, b)
  -- the quotient of two doubles is rounded: step it to the exact ceiling
  local q = math.ceil(a / b)
  if q * b < a then
    q = q + 1
  elseif (q - 1) * b >= a then
    q = q - 1
  end
  return q
end

-- The level now: what was stored plus refill since, never above the capacity.
local function level_of(key, rate)
  local capacity = rate * PARTS
  local stored = redis.call('HMGET', key, 'level', 'ms')
  if not stored[1] then
    return capacity
  end
  local elapsed = math.max(0, now - tonumber(stored[2]))
  return math.min(capacity, tonumber(stored[1]) + elapsed * rate)
end

local function store(key, rate, level)
  local full_in = ceil_div(rate * PARTS - level, rate)
  redis.call('HSET', key, 'level', string.format('%d', level), 'ms', string.format('%d', now))
  redis.call('PEXPIRE', key, string.format('%d', full_in + MINUTE_MS))
end

local rates, units = {}, {}
for i = 1, 3 do
  rates[i] = tonumber(ARGV[1 + i])
  units[i] = tonumber(ARGV[4 + i])
end

if ARGV[1] == 'move' then
  for i = 1, 3 do
    if rates[i] > 0 and units[i] ~= 0 then
      local level = level_of(KEYS[i], rates[i]) - units[i] * PARTS
      store(KEYS[i], rates[i], math.max(FLOOR, math.min(level, rates[i] * PARTS)))
    end
  end
  return {0, 0}
end

local levels, lacking, longest = {}, 0, 0
for i = 1, 3 do
  if rates[i] == 0 then
    -- no longer limited: forget the bucket, as a node does, so a limit set again starts full
    redis.call('DEL', KEYS[i])
  else
    levels[i] = level_of(KEYS[i], rates[i])
    -- a call larger than the capacity fits once the bucket is full
    local missing = math.min(units[i] * PARTS, rates[i] * PARTS) - levels[i]
    if missing > 0 then
      local wait = ceil_div(missing, rates[i])
      if wait > longest then
        lacking, longest = i, wait
      end
    end
  end
end
if lacking > 0 then
  return {lacking, longest}
end
for i = 1, 3 do
  if rates[i] > 0 then
    store(KEYS[i], rates[i], math.max(FLOOR, levels[i] - units[i] * PARTS))
  end
end
return {0, 0}
