package io.circles.webhook;

import io.circles.redis.LuaScript;

/**
 * Keeps a circle's event log within its byte bound, run right after each append in the same transaction. The byte
 * total (field names plus values of each entry, as this script measures them) lives next to the stream under the
 * same hash tag; the oldest entries go first and the newest always stays. Entries trimmed by the append's own
 * {@code MAXLEN} are not subtracted, so the total can only overstate: the log may be trimmed early, never late.
 * It starts afresh whenever the log is down to one entry.
 */
final class EventLogScript {
    /** KEYS: stream, byte total. ARGV: max entries, max bytes. Returns the log's length. */
    static final LuaScript TRIM = new LuaScript("""
            local function size(fields)
              local n = 0
              for i = 1, #fields do n = n + #fields[i] end
              return n
            end
            local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
            if not newest then return 0 end
            local total = redis.call('INCRBY', KEYS[2], size(newest[2]))
            local maxLen, maxBytes = tonumber(ARGV[1]), tonumber(ARGV[2])
            local len = redis.call('XLEN', KEYS[1])
            while len > 1 and (total > maxBytes or len > maxLen) do
              local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
              redis.call('XDEL', KEYS[1], oldest[1])
              total = redis.call('DECRBY', KEYS[2], size(oldest[2]))
              len = len - 1
            end
            if len <= 1 or total < 0 then
              redis.call('SET', KEYS[2], size(newest[2]))
            end
            return len
            """);

    private EventLogScript() {
    }
}
