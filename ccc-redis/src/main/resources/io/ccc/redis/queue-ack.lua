-- KEYS: meta, leased(lane)   ARGV: id, token   -> 1 done, 0 lease not held
local e = parse(redis.call('HGET', KEYS[1], ARGV[1]))
if not e or e.token ~= tonumber(ARGV[2]) then return 0 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
