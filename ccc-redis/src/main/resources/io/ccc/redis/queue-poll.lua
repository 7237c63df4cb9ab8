-- KEYS: meta, readyF, readyS, leasedF, leasedS, delayedF, delayedS, signal   ARGV: leaseMs
-- returns {id, lane, priority, token, expiresAt} or {'', '', '', '', msUntilSomethingIsDue or -1}
local now = now_ms()
promote(KEYS[1], KEYS[6], KEYS[2], KEYS[8], now, 100)
promote(KEYS[1], KEYS[4], KEYS[2], KEYS[8], now, 100)
promote(KEYS[1], KEYS[7], KEYS[3], KEYS[8], now, 100)
promote(KEYS[1], KEYS[5], KEYS[3], KEYS[8], now, 100)
local lanes = {{KEYS[2], KEYS[4]}, {KEYS[3], KEYS[5]}}
for _, lane in ipairs(lanes) do
  while true do
    local head = redis.call('ZRANGE', lane[1], 0, 0)
    if #head == 0 then break end
    local id = head[1]
    redis.call('ZREM', lane[1], id)
    local e = parse(redis.call('HGET', KEYS[1], id))
    if e then
      e.token = e.token + 1
      redis.call('HSET', KEYS[1], id, pack(e))
      local expires = now + tonumber(ARGV[1])
      redis.call('ZADD', lane[2], fmt(expires), id)
      return {id, e.lane, e.prio, fmt(e.token), fmt(expires)}
    end
    -- an id without (valid) metadata cannot be served: park it where an operator can see it
    redis.call('SADD', KEYS[1] .. ':bad', id)
  end
end
-- nothing ready: stale wake-up signals can go; an offer after this script pushes a fresh one
redis.call('DEL', KEYS[8])
local next_due = -1
for i = 4, 7 do
  local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
  if #first > 0 then
    local wait = tonumber(first[2]) - now
    if next_due < 0 or wait < next_due then next_due = wait end
  end
end
return {'', '', '', '', fmt(math.max(next_due, -1))}
