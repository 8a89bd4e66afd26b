-- Releases a reservation (unless it expired) and adds the actual cost to every budget line.
-- KEYS: as budget-reserve.lua.
-- ARGV: reservation id, actual cost, line count, alert threshold count, the thresholds (percent), then per line:
--       override field, configured limit (-1: unlimited), window ttl ms.
-- Returns per line {limit, spent, reserved, {thresholds crossed now, each once per window}}.
local id, actual, n, np = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local result = {}
for i = 1, n do
  local w, a, x = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local base = 4 + np + 3 * (i - 1)
  local held = redis.call('HGET', a, id)
  if held then
    redis.call('HINCRBY', w, 'reserved', 0 - tonumber(held))
    redis.call('HDEL', a, id)
    redis.call('ZREM', x, id)
  end
  local spent = redis.call('HINCRBY', w, 'spent', actual)
  local reserved = tonumber(redis.call('HGET', w, 'reserved') or '0')
  local limit = tonumber(redis.call('HGET', KEYS[1], ARGV[base + 1]) or ARGV[base + 2])
  local crossed = {}
  if limit > 0 then
    for p = 1, np do
      local percent = tonumber(ARGV[4 + p])
      if spent * 100 >= percent * limit and redis.call('HSETNX', w, 'alert:' .. percent, 1) == 1 then
        crossed[#crossed + 1] = percent
      end
    end
  end
  local keep = tonumber(ARGV[base + 3])
  redis.call('PEXPIRE', w, keep)
  redis.call('PEXPIRE', a, keep)
  redis.call('PEXPIRE', x, keep)
  result[i] = {limit, spent, reserved, crossed}
end
return result
