-- The last write of an attempt and the ack, in one step and only while the lease is held.
-- KEYS: meta, leased(lane), job, stats, done   ARGV: token, then update_job's arguments
-- -> -2 lease not held (nothing written), else update_job's result (the entry is removed unless it was 0)
local id = ARGV[2]
local e = parse(redis.call('HGET', KEYS[1], id))
if not e or e.token ~= tonumber(ARGV[1]) or not redis.call('ZSCORE', KEYS[2], id) then return -2 end
local r = update_job(KEYS[3], KEYS[4], KEYS[5], {unpack(ARGV, 2)})
if r ~= 0 then
  redis.call('ZREM', KEYS[2], id)
  redis.call('HDEL', KEYS[1], id)
end
return r
