-- Revokes a virtual key: flags its hash and takes its id out of the set of unrevoked ids, in one step.
-- KEYS[1] the key's hash (vkey:<digest>), KEYS[2] the set of unrevoked ids; ARGV[1] id
-- Returns the key's metadata JSON, or nil when there is no such key.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return nil
end
redis.call('HSET', KEYS[1], 'revoked', '1')
redis.call('SREM', KEYS[2], ARGV[1])
return redis.call('HGET', KEYS[1], 'meta')
