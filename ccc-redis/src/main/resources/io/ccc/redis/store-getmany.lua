-- KEYS: job keys   -> their 'd' fields (false where gone)
local out = {}
for i, key in ipairs(KEYS) do
  local ok, d = pcall(redis.call, 'HGET', key, 'd')
  if ok then out[i] = d else out[i] = 'ERR ' .. tostring(d.err or d) end
end
return out
