-- KEYS: meta, readyF, readyS, leasedF, leasedS, delayedF, delayedS
-- -> per lane (FAST, STANDARD): ready, leased, delayed, offeredAt of the next entry to serve (or -1)
local out = {}
for lane = 0, 1 do
  local ready = KEYS[2 + lane]
  out[#out + 1] = redis.call('ZCARD', ready)
  out[#out + 1] = redis.call('ZCARD', KEYS[4 + lane])
  out[#out + 1] = redis.call('ZCARD', KEYS[6 + lane])
  local head = redis.call('ZRANGE', ready, 0, 0)
  local e = #head > 0 and parse(redis.call('HGET', KEYS[1], head[1])) or nil
  out[#out + 1] = e and tonumber(e.offered) or -1
end
return out
