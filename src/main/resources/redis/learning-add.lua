-- Adds observations to the shared success estimates, each (model, task type) in one step.
-- KEYS[1] the estimates hash; ARGV[1] the half-life in ms; then per estimate four values: the field
-- ("<model>|<task type>"), successes, failures (either may be negative, taking earlier ones back) and the time in
-- ms they were observed. A value is "<successes>:<failures>:<as of ms>"; both sides are decayed to the later time
-- (evidence halves every half-life) before they are added, and evidence never goes below none.
local half = tonumber(ARGV[1])
for i = 2, #ARGV, 4 do
  local field = ARGV[i]
  local s = tonumber(ARGV[i + 1])
  local f = tonumber(ARGV[i + 2])
  local at = tonumber(ARGV[i + 3])
  local old_s, old_f, old_t = 0, 0, at
  local old = redis.call('HGET', KEYS[1], field)
  if old then
    local a, b, c = string.match(old, '^([^:]+):([^:]+):([^:]+)$')
    old_s, old_f, old_t = tonumber(a), tonumber(b), tonumber(c)
  end
  local t = math.max(old_t, at)
  local keep = 0.5 ^ ((t - old_t) / half)
  local add = 0.5 ^ ((t - at) / half)
  local new_s = math.max(0, old_s * keep + s * add)
  local new_f = math.max(0, old_f * keep + f * add)
  redis.call('HSET', KEYS[1], field, string.format('%.17g:%.17g:%.0f', new_s, new_f, t))
end
return #ARGV
