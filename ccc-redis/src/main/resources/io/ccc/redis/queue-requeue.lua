-- KEYS: meta, readyF, readyS, leasedF, leasedS, delayedF, delayedS, signal   -> entries moved
local now = now_ms()
return promote(KEYS[1], KEYS[4], KEYS[2], KEYS[8], now, 1000) + promote(KEYS[1], KEYS[5], KEYS[3], KEYS[8], now, 1000)
     + promote(KEYS[1], KEYS[6], KEYS[2], KEYS[8], now, 1000) + promote(KEYS[1], KEYS[7], KEYS[3], KEYS[8], now, 1000)
