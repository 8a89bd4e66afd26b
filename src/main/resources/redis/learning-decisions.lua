-- Remembers finished decisions for feedback on any instance: one key per decision, expiring after the TTL.
-- KEYS the decisions' keys; ARGV[1] the TTL in ms, then one value per key (model, task type and tenant as JSON).
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i + 1], 'PX', ARGV[1])
end
return #KEYS
