-- KEYS: meta, ready(lane), seq, signal   ARGV: id, lane, priority
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local seq = redis.call('INCR', KEYS[3])
-- higher priority first, then arrival order: (1000 - priority) * 2^41 + seq stays below 2^53
local score = fmt((1000 - tonumber(ARGV[3])) * 2199023255552 + seq)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|0|' .. fmt(now_ms()) .. '|' .. score)
redis.call('ZADD', KEYS[2], score, ARGV[1])
redis.call('LPUSH', KEYS[4], '1')
redis.call('LTRIM', KEYS[4], 0, 1023)
return 1
