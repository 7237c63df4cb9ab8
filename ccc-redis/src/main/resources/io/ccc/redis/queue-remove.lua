-- KEYS: meta, readyF, readyS, leasedF, leasedS, delayedF, delayedS   ARGV: id
local existed = redis.call('HDEL', KEYS[1], ARGV[1])
for i = 2, 7 do existed = existed + redis.call('ZREM', KEYS[i], ARGV[1]) end
return existed > 0 and 1 or 0
