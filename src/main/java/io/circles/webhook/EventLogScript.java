package io.circles.webhook;

import io.circles.redis.LuaScript;

/**
 * Appends to a circle's event log and keeps it within both bounds, entries and bytes. The byte total (field names
 * plus values, the way the script measures each entry) lives next to the stream under the same hash tag; oldest
 * entries go first, the newest always stays.
 */
final class EventLogScript {
    /** KEYS: stream, byte total. ARGV: max entries, max bytes, then the entry's field/value pairs. Returns the id. */
    static final LuaScript APPEND = new LuaScript("""
            local function size(fields)
              local n = 0
              for i = 1, #fields do n = n + #fields[i] end
              return n
            end
            local fields = {}
            for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
            local id = redis.call('XADD', KEYS[1], '*', unpack(fields))
            local total = redis.call('INCRBY', KEYS[2], size(fields))
            local maxLen, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2])
            local len = redis.call('XLEN', KEYS[1])
            while len > 1 and (total > maxBytes or len > maxLen) do
              local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
              redis.call('XDEL', KEYS[1], oldest[1])
              total = redis.call('DECRBY', KEYS[2], size(oldest[2]))
              len = len - 1
            end
            if len <= 1 or total < 0 then
              redis.call('SET', KEYS[2], size(fields))
            end
            return id
            """);

    private EventLogScript() {
    }
}
