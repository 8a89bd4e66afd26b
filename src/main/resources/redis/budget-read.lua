-- The current state of budget lines, releasing expired reservations first.
-- KEYS: as budget-reserve.lua. ARGV: line count, then per line: override field, configured limit (-1: unlimited).
-- Returns per line {limit, spent, reserved}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[1])
local result = {}
for i = 1, n do
  local w, a, x = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local dead = redis.call('ZRANGEBYSCORE', x, '-inf', now)
  for _, r in ipairs(dead) do
    redis.call('HINCRBY', w, 'reserved', 0 - tonumber(redis.call('HGET', a, r) or '0'))
    redis.call('HDEL', a, r)
  end
  if #dead > 0 then
    redis.call('ZREMRANGEBYSCORE', x, '-inf', now)
  end
  local limit = tonumber(redis.call('HGET', KEYS[1], ARGV[1 + 2 * i - 1]) or ARGV[1 + 2 * i])
  result[i] = {limit, tonumber(redis.call('HGET', w, 'spent') or '0'), tonumber(redis.call('HGET', w, 'reserved') or '0')}
end
return result
