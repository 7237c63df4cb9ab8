-- KEYS: meta, leased(lane), ready(lane), delayed(lane), signal   ARGV: id, token, delayMs
local e = parse(redis.call('HGET', KEYS[1], ARGV[1]))
if not e or e.token ~= tonumber(ARGV[2]) then return 0 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
local delay = tonumber(ARGV[3])
if delay <= 0 then
  redis.call('ZADD', KEYS[3], e.score, ARGV[1])
  redis.call('LPUSH', KEYS[5], '1')
  redis.call('LTRIM', KEYS[5], 0, 1023)
else
  redis.call('ZADD', KEYS[4], fmt(now_ms() + delay), ARGV[1])
end
return 1
