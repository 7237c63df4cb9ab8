-- KEYS: job   ARGV: id, keyPrefix   -> 1 deleted, 0 absent
return drop_job(ARGV[2], ARGV[1])
