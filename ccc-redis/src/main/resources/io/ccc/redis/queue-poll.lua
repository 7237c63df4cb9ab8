-- KEYS: meta, readyF, readyS, leasedF, leasedS, delayedF, delayedS, signal
-- ARGV: leaseMs, max, jobKeyPrefix ('' = leases only; else each lease comes with its job's JSON, '' if gone,
--       'ERR ...' if the key holds something else)
-- returns up to max leases, 6 values each: id, lane, priority, token, expiresAt, job;
-- or, when nothing is ready, one value: ms until something is due (-1: nothing pending)
local now = now_ms()
promote(KEYS[1], KEYS[6], KEYS[2], KEYS[8], now, 100)
promote(KEYS[1], KEYS[4], KEYS[2], KEYS[8], now, 100)
promote(KEYS[1], KEYS[7], KEYS[3], KEYS[8], now, 100)
promote(KEYS[1], KEYS[5], KEYS[3], KEYS[8], now, 100)
local max = tonumber(ARGV[2])
local expires = now + tonumber(ARGV[1])
local out = {}
for _, lane in ipairs({{KEYS[2], KEYS[4]}, {KEYS[3], KEYS[5]}}) do
  while #out < max * 6 do
    local head = redis.call('ZPOPMIN', lane[1])
    if #head == 0 then break end
    local id = head[1]
    local e = parse(redis.call('HGET', KEYS[1], id))
    if e then
      e.token = e.token + 1
      redis.call('HSET', KEYS[1], id, pack(e))
      redis.call('ZADD', lane[2], fmt(expires), id)
      local job = ''
      if ARGV[3] ~= '' then
        -- foreign data under a job key must not fail the whole claim: say what it is instead
        local ok, d = pcall(redis.call, 'HGET', ARGV[3] .. id, 'd')
        if ok then job = d or '' else job = 'ERR ' .. tostring(d.err or d) end
      end
      for _, v in ipairs({id, e.lane, e.prio, fmt(e.token), fmt(expires), job}) do out[#out + 1] = v end
    else
      -- an id without (valid) metadata cannot be served: park it where an operator can see it
      redis.call('SADD', KEYS[1] .. ':bad', id)
    end
  end
end
if #out > 0 then return out end
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
return {fmt(math.max(next_due, -1))}
