-- KEYS: log   ARGV: chunk, cap, ttlSeconds   -> length after append (never beyond cap)
local len = redis.call('STRLEN', KEYS[1])
local cap = tonumber(ARGV[2])
if len >= cap then return len end
local chunk = ARGV[1]
if len + #chunk > cap then chunk = string.sub(chunk, 1, cap - len) end
local n = redis.call('APPEND', KEYS[1], chunk)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return n
