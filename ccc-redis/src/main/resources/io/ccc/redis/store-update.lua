-- KEYS: job, stats, done   ARGV: as update_job   -> as update_job
return update_job(KEYS[1], KEYS[2], KEYS[3], ARGV)
