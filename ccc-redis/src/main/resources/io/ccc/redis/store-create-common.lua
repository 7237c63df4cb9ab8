-- Creates a job with version 1 in its indexes; shared by store-create and queue-enqueue.
-- a: id, json, state, indexList, event, channel   -> 1 created, 0 the id exists
local function create_job(job, all, state_index, stats, indexes, a)
  if redis.call('EXISTS', job) == 1 then return 0 end
  redis.call('HSET', job, 'v', '1', 'd', a[2], 's', a[3], 'ix', a[4])
  redis.call('ZADD', all, 0, a[1])
  redis.call('ZADD', state_index, 0, a[1])
  for _, key in ipairs(indexes) do redis.call('ZADD', key, 0, a[1]) end
  redis.call('HINCRBY', stats, 'submitted', 1)
  redis.call('PUBLISH', a[6], a[5])
  return 1
end
