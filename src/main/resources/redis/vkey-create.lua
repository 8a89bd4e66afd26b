-- Stores a new virtual key in one step, so that no key is ever usable without being listed (and revocable).
-- KEYS[1] the key's hash (vkey:<digest>), KEYS[2] the index id -> digest, KEYS[3] the set of unrevoked ids
-- ARGV[1] id, ARGV[2] digest of the secret, ARGV[3] metadata JSON
-- Returns 1, or 0 when the digest or the id is taken already.
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'meta', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
