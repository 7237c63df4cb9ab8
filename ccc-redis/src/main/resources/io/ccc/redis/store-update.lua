-- KEYS: job, oldStateIdx, newStateIdx, stats, done
-- ARGV: id, expectedVersion, json, newState, event, channel, started(0/1), queueWaitMs, finishedState or '', runTimeMs, expireAtMs or ''
-- -> 1 written, 0 version mismatch, -1 no such job
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'v', string.format('%.0f', tonumber(v) + 1), 'd', ARGV[3], 's', ARGV[4])
if KEYS[2] ~= KEYS[3] then
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
end
if ARGV[7] == '1' then
  redis.call('HINCRBY', KEYS[4], 'started', 1)
  redis.call('HINCRBY', KEYS[4], 'queueWaitMs', ARGV[8])
end
if ARGV[9] ~= '' then
  redis.call('HINCRBY', KEYS[4], 'finished:' .. ARGV[9], 1)
  redis.call('HINCRBY', KEYS[4], 'runTimeMs', ARGV[10])
end
if ARGV[11] ~= '' then redis.call('ZADD', KEYS[5], ARGV[11], ARGV[1]) end
redis.call('PUBLISH', ARGV[6], ARGV[5])
return 1
