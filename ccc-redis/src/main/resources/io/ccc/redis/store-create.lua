-- KEYS: job, all, stateIdx, stats, index keys (kind, labels)...   ARGV: id, json, state, indexList, event, channel
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', '1', 'd', ARGV[2], 's', ARGV[3], 'ix', ARGV[4])
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
for i = 5, #KEYS do redis.call('ZADD', KEYS[i], 0, ARGV[1]) end
redis.call('HINCRBY', KEYS[4], 'submitted', 1)
redis.call('PUBLISH', ARGV[6], ARGV[5])
return 1
