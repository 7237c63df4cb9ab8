-- KEYS: lead key   ARGV: holder, ttlMs   -> 1 if holder leads now (taken or renewed), 0 if someone else does
local cur = redis.call('GET', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
