-- KEYS: job, all, stateIdx, stats, index keys (kind, labels)...   ARGV: as create_job
return create_job(KEYS[1], KEYS[2], KEYS[3], KEYS[4], {unpack(KEYS, 5)}, ARGV)
