-- Reserves ARGV[2] micro-dollars on every budget line, or on none.
-- KEYS[1]: the limit overrides hash; then three keys per line: window hash (spent, reserved),
--          reservation amounts hash, reservation expiry sorted set.
-- ARGV: reservation id, amount, reservation ttl ms, line count, then per line: override field, configured limit
--       (-1: unlimited), window ttl ms.
-- Returns {1} when reserved, else {0, line index, limit, spent, reserved} for the first line it does not fit.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, amount, ttl, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local function release_expired(w, a, x)
  local dead = redis.call('ZRANGEBYSCORE', x, '-inf', now)
  for _, r in ipairs(dead) do
    local held = tonumber(redis.call('HGET', a, r) or '0')
    redis.call('HINCRBY', w, 'reserved', 0 - held)
    redis.call('HDEL', a, r)
  end
  if #dead > 0 then
    redis.call('ZREMRANGEBYSCORE', x, '-inf', now)
  end
end

for i = 1, n do
  local w, a, x = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  release_expired(w, a, x)
  local base = 4 + 3 * (i - 1)
  local limit = tonumber(redis.call('HGET', KEYS[1], ARGV[base + 1]) or ARGV[base + 2])
  local spent = tonumber(redis.call('HGET', w, 'spent') or '0')
  local reserved = tonumber(redis.call('HGET', w, 'reserved') or '0')
  if limit >= 0 and spent + reserved + amount > limit then
    return {0, i, limit, spent, reserved}
  end
end

for i = 1, n do
  local w, a, x = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local keep = tonumber(ARGV[4 + 3 * (i - 1) + 3])
  redis.call('HINCRBY', w, 'reserved', amount)
  redis.call('HSET', a, id, amount)
  redis.call('ZADD', x, now + ttl, id)
  redis.call('PEXPIRE', w, keep)
  redis.call('PEXPIRE', a, keep)
  redis.call('PEXPIRE', x, keep)
end
return {1}
