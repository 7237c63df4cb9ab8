-- A job created and queued in one step.
-- KEYS: meta, ready(lane), seq, signal, job, all, stateIdx, stats, index keys...
-- ARGV: lane, priority, then create_job's arguments   -> 1 done, 0 the id exists (nothing changed)
if create_job(KEYS[5], KEYS[6], KEYS[7], KEYS[8], {unpack(KEYS, 9)}, {unpack(ARGV, 3)}) == 0 then return 0 end
offer(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], ARGV[1], ARGV[2])
return 1
