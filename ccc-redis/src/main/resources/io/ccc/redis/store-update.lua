-- Compare-and-set of a job in one round trip: the old state, startedAt and version are read here, so the
-- caller does not have to fetch the job first.
-- KEYS: job, stats, done
-- ARGV: id, expectedVersion, json, newState, event, channel, startedAtMs or '', createdAtMs, finishedAtMs or '',
--       expireAtMs (used only when the job becomes final), keyPrefix
-- -> 1 written, 2 written and the job became final, 0 version mismatch, -1 no such job
local final = {SUCCEEDED = true, FAILED = true, TIMED_OUT = true, CANCELLED = true, ERROR = true}
local f = redis.call('HMGET', KEYS[1], 'v', 's', 'st')
if not f[1] then return -1 end
if f[1] ~= ARGV[2] then return 0 end
local new_state = ARGV[4]
redis.call('HSET', KEYS[1], 'v', string.format('%.0f', tonumber(f[1]) + 1), 'd', ARGV[3], 's', new_state)
if f[2] ~= new_state then
  if f[2] then redis.call('ZREM', ARGV[11] .. 'jobs:state:' .. f[2], ARGV[1]) end
  redis.call('ZADD', ARGV[11] .. 'jobs:state:' .. new_state, 0, ARGV[1])
end
if ARGV[7] ~= '' and ARGV[7] ~= f[3] then
  redis.call('HSET', KEYS[1], 'st', ARGV[7])
  redis.call('HINCRBY', KEYS[2], 'started', 1)
  redis.call('HINCRBY', KEYS[2], 'queueWaitMs', tonumber(ARGV[7]) - tonumber(ARGV[8]))
end
local became_final = final[new_state] and not final[f[2] or '']
if became_final then
  redis.call('HINCRBY', KEYS[2], 'finished:' .. new_state, 1)
  if ARGV[7] ~= '' and ARGV[9] ~= '' then
    redis.call('HINCRBY', KEYS[2], 'runTimeMs', tonumber(ARGV[9]) - tonumber(ARGV[7]))
  end
  redis.call('ZADD', KEYS[3], ARGV[10], ARGV[1])
end
redis.call('PUBLISH', ARGV[6], ARGV[5])
return became_final and 2 or 1
