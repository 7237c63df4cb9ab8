-- Shared helpers, prepended to every queue script.
-- meta value: lane|priority|token|offeredAtMs|score ; scores are written with %.0f so they stay exact.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function fmt(n)
  return string.format('%.0f', n)
end

local function parse(m)
  if not m then return nil end
  local lane, prio, token, offered, score = string.match(m, '^(%u+)|(%-?%d+)|(%d+)|(%d+)|(%d+)$')
  if not lane then return nil end
  return {lane = lane, prio = prio, token = tonumber(token), offered = offered, score = score}
end

local function pack(e)
  return e.lane .. '|' .. e.prio .. '|' .. fmt(e.token) .. '|' .. e.offered .. '|' .. e.score
end

-- moves entries whose time has come from a timer set (leased or delayed) back to their ready set
local function promote(meta, timers, ready, signal, now, limit)
  local due = redis.call('ZRANGEBYSCORE', timers, '-inf', fmt(now), 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', timers, id)
    local e = parse(redis.call('HGET', meta, id))
    if e then
      redis.call('ZADD', ready, e.score, id)
      redis.call('LPUSH', signal, '1')
    end
  end
  if #due > 0 then redis.call('LTRIM', signal, 0, 1023) end
  return #due
end

-- queues an id unless it is already queued: higher priority first, then arrival order
local function offer(meta, ready, seq_key, signal, id, lane, prio)
  if redis.call('HEXISTS', meta, id) == 1 then return 0 end
  local seq = redis.call('INCR', seq_key)
  -- (1000 - priority) * 2^41 + seq stays below 2^53
  local score = fmt((1000 - tonumber(prio)) * 2199023255552 + seq)
  redis.call('HSET', meta, id, lane .. '|' .. prio .. '|0|' .. fmt(now_ms()) .. '|' .. score)
  redis.call('ZADD', ready, score, id)
  redis.call('LPUSH', signal, '1')
  redis.call('LTRIM', signal, 0, 1023)
  return 1
end
