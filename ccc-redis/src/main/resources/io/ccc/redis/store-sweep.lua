-- Deletes jobs whose retention ended.  KEYS: done   ARGV: keyPrefix, limit   -> jobs deleted
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now), 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do
  local job = ARGV[1] .. 'job:' .. id
  local fields = redis.call('HMGET', job, 's', 'ix')
  if fields[1] then redis.call('ZREM', ARGV[1] .. 'jobs:state:' .. fields[1], id) end
  if fields[2] then
    for key in string.gmatch(fields[2], '[^\n]+') do redis.call('ZREM', key, id) end
  end
  redis.call('ZREM', ARGV[1] .. 'jobs:all', id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', job)
end
return #due
