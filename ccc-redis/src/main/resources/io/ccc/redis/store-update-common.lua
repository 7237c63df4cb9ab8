-- Compare-and-set of a job, shared by store-update and queue-complete. The old state, start time and version
-- are read here, so the caller does not have to fetch the job first.
-- a: id, expectedVersion, json, newState, event, channel, startedAtMs or '', createdAtMs, finishedAtMs or '',
--    expireAtMs (used only when the job becomes final), keyPrefix
-- -> 1 written, 2 written and the job became final, 0 version mismatch, -1 no such job
local FINAL = {SUCCEEDED = true, FAILED = true, TIMED_OUT = true, CANCELLED = true, ERROR = true}
local function update_job(job, stats, done, a)
  local f = redis.call('HMGET', job, 'v', 's', 'st')
  if not f[1] then return -1 end
  if f[1] ~= a[2] then return 0 end
  local id, new_state, prefix = a[1], a[4], a[11]
  local fields = {'v', string.format('%.0f', tonumber(f[1]) + 1), 'd', a[3], 's', new_state}
  local started = a[7] ~= '' and a[7] ~= f[3]
  if started then
    fields[7], fields[8] = 'st', a[7]
  end
  redis.call('HSET', job, unpack(fields))
  if started then
    redis.call('HINCRBY', stats, 'started', 1)
    redis.call('HINCRBY', stats, 'queueWaitMs', tonumber(a[7]) - tonumber(a[8]))
  end
  if f[2] ~= new_state then
    if f[2] then redis.call('ZREM', prefix .. 'jobs:state:' .. f[2], id) end
    redis.call('ZADD', prefix .. 'jobs:state:' .. new_state, 0, id)
  end
  local became_final = FINAL[new_state] and not FINAL[f[2] or '']
  if became_final then
    redis.call('HINCRBY', stats, 'finished:' .. new_state, 1)
    if a[7] ~= '' and a[9] ~= '' then
      redis.call('HINCRBY', stats, 'runTimeMs', tonumber(a[9]) - tonumber(a[7]))
    end
    redis.call('ZADD', done, a[10], id)
    -- followers go on from the final log; the live one can go soon
    redis.call('EXPIRE', prefix .. 'log:' .. id .. ':stdout', 60)
    redis.call('EXPIRE', prefix .. 'log:' .. id .. ':stderr', 60)
  end
  redis.call('PUBLISH', a[6], a[5])
  return became_final and 2 or 1
end
