package io.circles.dispatch;

import io.circles.redis.LuaScript;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The dispatch protocol's atomic steps, as Lua scripts. Each touches the keys of one circle only (one Cluster
 * slot: {@link RedisKeys} tags them), derives task keys from ids inside Redis with a prefix passed in ARGV, and
 * leaves the global wake-up set ({@code circles:ready}) to the caller, which updates it with a separate
 * single-key command after the circle's own step succeeded (work first, signal second, so no work is ever
 * hidden from workers). {@code docs/DISPATCH_PROTOCOL.md} shows each as plain commands.
 */
public final class TaskScripts {
    private TaskScripts() {
    }

    /**
     * The wake-up: {@code ZADD circles:ready NX <now ms> <pk>}. A single-key command, not part of any script, because
     * the line lives in its own Cluster slot; sent after the circle's own step (work first, signal second), by the
     * dispatcher, by a worker whose circle still has callers waiting, and by the reaper.
     */
    public static Request wakeUp(RedisKeys keys, String circle) {
        return Request.cmd(Command.ZADD).arg(keys.ready()).arg("NX").arg(Long.toString(System.currentTimeMillis())).arg(circle);
    }

    /**
     * Lua helpers shared by the steps that change a task's state. {@code announce} publishes the task's new state
     * on the circle's live channel (ARGV: the publish command, {@code SPUBLISH} or {@code PUBLISH}, or '' for
     * none; the channel; the message from {@link TaskStateEvent}), atomically with the change, so a subscriber
     * never hears of a state that was not written and always of one that was. {@code wake} is the wake-up inside
     * the step, used on one Redis only (the line is passed as an extra key; on a Cluster it lives in another slot
     * and the caller sends {@link #wakeUp} after the step answers).
     */
    static final String ANNOUNCE_AND_WAKE = """
            local function announce(command, channel, message)
              if command ~= '' then redis.call(command, channel, message) end
            end
            local function wake(line, at, circle)
              if line then redis.call('ZADD', line, 'NX', at, circle) end
            end
            """;

    /**
     * Queues a task for its caller, within the caller's and the circle's task and byte quotas. KEYS: task hash,
     * caller queue, caller ring, byte counters ({@link RedisKeys#queuedBytes}: a hash of queued script bytes per
     * caller, and the circle's total under {@code *}), and on one Redis the wake-up line. ARGV: task id, caller,
     * most tasks a caller may have queued, most callers with queued tasks per circle, hash TTL seconds, most queued
     * script bytes per caller, per circle, the circle, now (ms), the announcement (publish command or '', channel,
     * message), then field/value pairs. Returns 1 when queued, 0 when the caller has too many tasks queued, -1
     * when the circle has too many callers waiting, -2 when the caller's queued script bytes would pass its quota,
     * -3 the circle's. The bytes are given back when the task leaves the queue ({@link #TAKE}, {@link #CANCEL}:
     * {@code release_bytes}).
     */
    public static final LuaScript ENQUEUE = new LuaScript(ANNOUNCE_AND_WAKE + """
            local queued = redis.call('LLEN', KEYS[2])
            if queued >= tonumber(ARGV[3]) then return 0 end
            if queued == 0 and redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[4]) then return -1 end
            local size = 0
            for i = 13, #ARGV - 1, 2 do
              if ARGV[i] == 'script' then size = #ARGV[i + 1] end
            end
            local held = redis.call('HMGET', KEYS[4], ARGV[2], '*')
            if size + tonumber(held[1] or 0) > tonumber(ARGV[6]) then return -2 end
            if size + tonumber(held[2] or 0) > tonumber(ARGV[7]) then return -3 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 13))
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            redis.call('LPUSH', KEYS[2], ARGV[1])
            if queued == 0 then redis.call('RPUSH', KEYS[3], ARGV[2]) end
            if size > 0 then
              redis.call('HINCRBY', KEYS[4], ARGV[2], size)
              redis.call('HINCRBY', KEYS[4], '*', size)
              redis.call('EXPIRE', KEYS[4], ARGV[5])
            end
            announce(ARGV[10], ARGV[11], ARGV[12])
            wake(KEYS[5], ARGV[9], ARGV[8])
            return 1""");

    /**
     * Lua prelude of the steps that take a task out of its queue: gives back the queued script bytes the task held
     * ({@link #ENQUEUE}). A caller whose queue is now empty is dropped from the counters with whatever it still
     * held (a task hash that expired while queued leaves bytes nobody can give back), and the counters key goes when
     * the circle's total reaches zero, so the counts self-correct and never stay behind. The counters key is the
     * caller ring's key + {@code :bytes} (same slot). {@code release_bytes} takes: counters key, caller, the task's
     * script bytes, tasks left in the caller's queue; {@code give_back} does a caller's part and answers what the
     * total loses, so a step taking many tasks changes the total once ({@code drop_total}).
     */
    static final String RELEASE_BYTES = """
            local function give_back(counters, caller, size, queue_left)
              -- 0 - size, not -size: Lua's -0 reaches Redis as "-0", which HINCRBY refuses
              local left = redis.call('HINCRBY', counters, caller, 0 - size)
              if left <= 0 or queue_left == 0 then
                redis.call('HDEL', counters, caller)
                size = size + left
              end
              return size
            end
            local function drop_total(counters, size)
              if redis.call('HINCRBY', counters, '*', 0 - size) <= 0 then redis.call('DEL', counters) end
            end
            local function release_bytes(counters, caller, size, queue_left)
              if redis.call('EXISTS', counters) == 0 then return end
              drop_total(counters, give_back(counters, caller, size, queue_left))
            end
            """;

    /**
     * Claims up to ARGV[5] tasks for a worker to run now, one caller at a time round-robin, without letting the
     * circle have more than ARGV[6] tasks claimed across all workers; when it may claim any, it claims up to
     * ARGV[7] more to run right after (a circle of quick scripts). KEYS: caller ring, running set. ARGV: task key
     * prefix, caller queue prefix, now (ms), worker id, how many now, circle cap, how many ahead, now (s). Returns
     * {callers still waiting, tasks now claimed, {id, field, value, …} per claimed task, as now stored}. Ids whose
     * task is no longer pending (cancelled, expired) are dropped. Each task is read once ({@code HGETALL}): its
     * status, its script's size for the byte quota and the fields returned all come from that one read.
     */
    public static final LuaScript TAKE = new LuaScript(RELEASE_BYTES + """
            local running = redis.call('ZCARD', KEYS[2])
            local want = math.min(tonumber(ARGV[5]), tonumber(ARGV[6]) - running)
            if want > 0 then want = want + tonumber(ARGV[7]) end
            local out = {0, 0}
            local scores = {}
            local counters = KEYS[1] .. ':bytes'
            local counted = want > 0 and redis.call('EXISTS', counters) == 1
            local released = 0
            local budget = want + 64
            while want > 0 and budget > 0 do
              -- one round: the next callers in the ring, one task each; those with more go to the back, in order
              local callers = redis.call('LPOP', KEYS[1], math.min(want, budget))
              if not callers then break end
              local back = {}
              for _, caller in ipairs(callers) do
                budget = budget - 1
                local queue = ARGV[2] .. caller
                local id = redis.call('RPOP', queue)
                local left = redis.call('LLEN', queue)
                if left > 0 then back[#back + 1] = caller end
                if id then
                  local key = ARGV[1] .. id
                  local fields = redis.call('HGETALL', key)
                  local status, size = nil, 0
                  for i = 1, #fields, 2 do
                    local field = fields[i]
                    if field == 'status' then
                      status = fields[i + 1]
                      fields[i + 1] = 'processing'
                    elseif field == 'updated_at' then
                      fields[i + 1] = ARGV[8]
                    elseif field == 'script' then
                      size = #fields[i + 1]
                    end
                  end
                  if counted then released = released + give_back(counters, caller, size, left) end
                  if status == 'pending' and want > 0 then
                    redis.call('HSET', key, 'status', 'processing', 'updated_at', ARGV[8], 'worker_id', ARGV[4])
                    fields[#fields + 1] = 'worker_id'
                    fields[#fields + 1] = ARGV[4]
                    table.insert(fields, 1, id)
                    out[#out + 1] = fields
                    scores[#scores + 1] = ARGV[3]
                    scores[#scores + 1] = id
                    want = want - 1
                    running = running + 1
                  end
                end
              end
              if #back > 0 then redis.call('RPUSH', KEYS[1], unpack(back)) end
            end
            if counted and released ~= 0 then drop_total(counters, released) end
            if #scores > 0 then redis.call('ZADD', KEYS[2], unpack(scores)) end
            out[1] = redis.call('LLEN', KEYS[1])
            out[2] = running
            return out""");

    /** How many results one {@link #FINISH} records at most (the worker splits bigger batches). */
    public static final int MAX_FINISHED_PER_STEP = 64;

    /**
     * Records a batch of a worker's results in one circle: for each task still {@code processing} by this worker,
     * stores the outcome, drops the script, shortens the hash's life and announces the end; then takes the tasks
     * out of the running set and, when callers still wait, puts the circle back in line. On one Redis it also
     * pushes the replies (one {@code LPUSH} per reply list), so each hash is final before its reply can be read,
     * whatever happens to the connection; on a Cluster the reply lists and the line live in other slots and the
     * worker sends them after the answer. A reply goes out whether or not its task was recorded: its server drops a
     * reply it no longer waits for (the task was cancelled or reaped meanwhile).
     * <p>
     * KEYS: running set, caller ring, the n task hashes, and on one Redis the wake-up line and then each distinct
     * reply list. ARGV: worker id, finished-task TTL seconds, the circle, now (ms), now (s), the announcement's
     * publish command (or '') and channel, the reply lists' TTL seconds, n, 1 when the line and reply lists are
     * among the keys (one Redis) else 0, then per task: id, status, result field (output or error), its text, logs
     * JSON, announcement, reply, the 1-based index of its reply list among the reply-list keys (0: none). Returns
     * {callers still waiting, tasks recorded}.
     */
    public static final LuaScript FINISH = new LuaScript(ANNOUNCE_AND_WAKE + """
            local n = tonumber(ARGV[9])
            local local_lists = ARGV[10] == '1'
            local ids, replies, recorded = {}, {}, 0
            for i = 1, n do
              local a = 10 + (i - 1) * 8
              local key = KEYS[2 + i]
              ids[i] = ARGV[a + 1]
              local state = redis.call('HMGET', key, 'status', 'worker_id')
              if state[1] == 'processing' and state[2] == ARGV[1] then
                redis.call('HSET', key, 'status', ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], 'logs', ARGV[a + 5], 'updated_at', ARGV[5])
                redis.call('HDEL', key, 'script')
                redis.call('EXPIRE', key, ARGV[2])
                announce(ARGV[6], ARGV[7], ARGV[a + 6])
                recorded = recorded + 1
              end
              local list = tonumber(ARGV[a + 8])
              if local_lists and list > 0 then
                replies[list] = replies[list] or {}
                table.insert(replies[list], ARGV[a + 7])
              end
            end
            redis.call('ZREM', KEYS[1], unpack(ids))
            for list, values in pairs(replies) do
              local key = KEYS[3 + n + list]
              redis.call('LPUSH', key, unpack(values))
              redis.call('EXPIRE', key, ARGV[8])
            end
            local waiting = redis.call('LLEN', KEYS[2])
            if local_lists and waiting > 0 then wake(KEYS[3 + n], ARGV[4], ARGV[3]) end
            return {waiting, recorded}""");

    /**
     * Ends a task with an error on the caller's side: a pending task leaves its queue; a running one (only when
     * ARGV[6] is 1) is marked so the worker's late result is discarded. KEYS: task hash, caller queue, caller
     * ring, running set. ARGV: task id, caller, error text, now, finished-task TTL, 1 to end running tasks too.
     * Returns 1 when the task was ended, 0 when it had already finished (or was running and ARGV[6] is 0).
     */
    public static final LuaScript CANCEL = new LuaScript(RELEASE_BYTES + """
            local status = redis.call('HGET', KEYS[1], 'status')
            if status == 'pending' then
              redis.call('LREM', KEYS[2], 1, ARGV[1])
              release_bytes(KEYS[3] .. ':bytes', ARGV[2], redis.call('HSTRLEN', KEYS[1], 'script'), redis.call('LLEN', KEYS[2]))
              if redis.call('LLEN', KEYS[2]) == 0 then redis.call('LREM', KEYS[3], 0, ARGV[2]) end
            elseif not (status == 'processing' and ARGV[6] == '1') then
              return 0
            end
            redis.call('ZREM', KEYS[4], ARGV[1])
            redis.call('HSET', KEYS[1], 'status', 'error', 'error', ARGV[3], 'updated_at', ARGV[4])
            redis.call('HDEL', KEYS[1], 'script')
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            return 1""");

    /**
     * The running tasks of a circle with their workers and claim times. KEYS: running set. ARGV: task key prefix.
     * Returns {id, worker, claimed at (ms, as text), …}.
     */
    public static final LuaScript CLAIMS = new LuaScript("""
            local out = {}
            local claims = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
            for i = 1, #claims, 2 do
              local id = claims[i]
              out[#out + 1] = id
              out[#out + 1] = redis.call('HGET', ARGV[1] .. id, 'worker_id') or ''
              out[#out + 1] = claims[i + 1]
            end
            return out""");

    /**
     * Fails a task whose worker died. KEYS: task hash, running set, caller ring. ARGV: task id, dead worker id,
     * error text, now, finished-task TTL. Returns {1 when failed now, its reply list or '', callers still waiting,
     * its caller or ''}.
     */
    public static final LuaScript LOST = new LuaScript("""
            local status = redis.call('HGET', KEYS[1], 'status')
            local worker = redis.call('HGET', KEYS[1], 'worker_id')
            if status == 'processing' and worker ~= ARGV[2] then return {0, '', 0, ''} end
            redis.call('ZREM', KEYS[2], ARGV[1])
            if status ~= 'processing' then return {0, '', redis.call('LLEN', KEYS[3]), ''} end
            redis.call('HSET', KEYS[1], 'status', 'error', 'error', ARGV[3], 'updated_at', ARGV[4])
            redis.call('HDEL', KEYS[1], 'script')
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            return {1, redis.call('HGET', KEYS[1], 'reply_queue_name') or '', redis.call('LLEN', KEYS[3]),
              redis.call('HGET', KEYS[1], 'caller_id') or ''}""");
}
