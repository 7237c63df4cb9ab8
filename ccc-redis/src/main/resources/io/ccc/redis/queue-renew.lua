-- KEYS: meta, leased(lane)   ARGV: id, token, leaseMs   -> new expiry, or -1 if the lease is not held
local e = parse(redis.call('HGET', KEYS[1], ARGV[1]))
if not e or e.token ~= tonumber(ARGV[2]) then return -1 end
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
local now = now_ms()
if not score or tonumber(score) <= now then return -1 end
local expires = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], 'XX', fmt(expires), ARGV[1])
return expires
