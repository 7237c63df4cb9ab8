-- KEYS: job, all, done, statePrefix-less: ARGV: id, keyPrefix (for state index keys)  -> 1 deleted, 0 absent
local function drop(job, id)
  local fields = redis.call('HMGET', job, 's', 'ix')
  if fields[1] then redis.call('ZREM', ARGV[2] .. 'jobs:state:' .. fields[1], id) end
  if fields[2] then
    for key in string.gmatch(fields[2], '[^\n]+') do redis.call('ZREM', key, id) end
  end
  redis.call('ZREM', ARGV[2] .. 'jobs:all', id)
  redis.call('ZREM', ARGV[2] .. 'jobs:done', id)
  return redis.call('DEL', job)
end
return drop(KEYS[1], ARGV[1])
