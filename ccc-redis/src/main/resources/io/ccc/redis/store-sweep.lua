-- Deletes jobs whose retention ended.  KEYS: done   ARGV: keyPrefix, limit   -> jobs deleted
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now), 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do drop_job(ARGV[1], id) end
return #due
