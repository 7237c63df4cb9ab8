-- Shared by the store scripts that delete jobs: removes a job and every index entry it has.
local function drop_job(prefix, id)
  local job = prefix .. 'job:' .. id
  local fields = redis.call('HMGET', job, 's', 'ix')
  if fields[1] then redis.call('ZREM', prefix .. 'jobs:state:' .. fields[1], id) end
  if fields[2] then
    for key in string.gmatch(fields[2], '[^\n]+') do redis.call('ZREM', key, id) end
  end
  redis.call('ZREM', prefix .. 'jobs:all', id)
  redis.call('ZREM', prefix .. 'jobs:done', id)
  return redis.call('DEL', job)
end
