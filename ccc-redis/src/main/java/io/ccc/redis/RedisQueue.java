package io.ccc.redis;

import io.ccc.CccException;
import io.ccc.Job;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.spi.JobStore;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueStats;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Queue} on Redis. Per lane a sorted set of ready ids (score = priority, then arrival), a sorted set
 * of leased ids by lease expiry and one of delayed ids by the end of their back-off; one hash holds each
 * entry's lane, priority, token and offer time. Every change is one Lua script, so it is atomic. An idle
 * poller blocks in BLPOP on a signal list that offers and releases push to, so idle workers cost Redis
 * nothing; expired leases and ended back-offs are moved back by any poll or by {@link #requeueExpired()}.
 */
public final class RedisQueue implements Queue {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueue.class);
    private final Redis redis;
    private final boolean ownsRedis;
    private final String meta;
    private final String signal;
    private final String seq;
    private final Map<JobKind, String> ready = new EnumMap<>(JobKind.class);
    private final Map<JobKind, String> leased = new EnumMap<>(JobKind.class);
    private final Map<JobKind, String> delayed = new EnumMap<>(JobKind.class);
    private final String[] allKeys;

    public RedisQueue(RedisConfig config) {
        this(new Redis(config), true);
    }

    RedisQueue(Redis redis, boolean ownsRedis) {
        this.redis = redis;
        this.ownsRedis = ownsRedis;
        meta = redis.key("q:meta");
        signal = redis.key("q:signal");
        seq = redis.key("q:seq");
        for (JobKind lane : JobKind.values()) {
            ready.put(lane, redis.key("q:ready:" + lane));
            leased.put(lane, redis.key("q:leased:" + lane));
            delayed.put(lane, redis.key("q:delayed:" + lane));
        }
        allKeys = new String[] {meta, ready.get(JobKind.FAST), ready.get(JobKind.STANDARD), leased.get(JobKind.FAST),
            leased.get(JobKind.STANDARD), delayed.get(JobKind.FAST), delayed.get(JobKind.STANDARD), signal};
    }

    @Override
    public void offer(QueueEntry entry) {
        redis.eval("queue-offer", ScriptOutputType.INTEGER, new String[] {meta, ready.get(entry.lane()), seq, signal},
                entry.jobId().value(), entry.lane().name(), String.valueOf(entry.priority()));
    }

    /** Created and queued in one script when {@code store} shares this Redis keyspace. */
    @Override
    public Job enqueue(JobStore store, Job job) {
        if (!sharesKeyspace(store)) {
            return Queue.super.enqueue(store, job);
        }
        RedisJobStore s = (RedisJobStore) store;
        Job stored = job.withVersion(1);
        String[] keys = concat(new String[] {meta, ready.get(job.kind()), seq, signal}, s.createKeys(stored));
        String[] args = concat(new String[] {job.kind().name(), String.valueOf(job.spec().priority())}, s.createArgs(stored));
        Long created = redis.eval("queue-enqueue", ScriptOutputType.INTEGER, keys, args);
        return RedisJobStore.checkCreate(stored, created);
    }

    /** True if {@code store} is a {@link RedisJobStore} on this Redis and prefix, so one script may touch both. */
    private boolean sharesKeyspace(JobStore store) {
        return store instanceof RedisJobStore s && s.sameKeyspace(redis);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Override
    public Optional<Lease> poll(Duration wait, Duration leaseTime) throws InterruptedException {
        return take(1, wait, leaseTime, false).stream().findFirst().map(Claim::lease);
    }

    /** In one round trip with the leases when {@code store} shares this Redis keyspace. */
    @Override
    public List<Claim> claim(JobStore store, int max, Duration wait, Duration leaseTime) throws InterruptedException {
        if (!sharesKeyspace(store)) {
            return Queue.super.claim(store, max, wait, leaseTime);
        }
        return take(max, wait, leaseTime, true);
    }

    /** Leases up to {@code max} entries, with their jobs if {@code withJobs}; blocks on the signal list while none is ready. */
    private List<Claim> take(int max, Duration wait, Duration leaseTime, boolean withJobs) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long maxBlockMs = redis.config().timeout().toMillis() - 1000;
        String jobPrefix = withJobs ? redis.key("job:") : "";
        while (true) {
            List<Object> r = redis.eval("queue-poll", ScriptOutputType.MULTI, allKeys, String.valueOf(leaseTime.toMillis()),
                    String.valueOf(max), jobPrefix);
            if (r.size() > 1) {
                List<Claim> claims = new ArrayList<>(r.size() / 6);
                for (int i = 0; i < r.size(); i += 6) {
                    JobId id = JobId.of((String) r.get(i));
                    Lease lease = new Lease(id, JobKind.valueOf((String) r.get(i + 1)), Integer.parseInt((String) r.get(i + 2)),
                            Integer.parseInt((String) r.get(i + 3)), Instant.ofEpochMilli(Long.parseLong((String) r.get(i + 4))));
                    claims.add(new Claim(lease, withJobs ? job(id, (String) r.get(i + 5)) : null));
                }
                return claims;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return List.of();
            }
            long nextDue = Long.parseLong((String) r.get(0));
            long block = Math.min(left, maxBlockMs);
            if (nextDue >= 0) {
                block = Math.min(block, Math.max(nextDue, 1));
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            double seconds = Math.max(block, 10) / 1000.0;
            redis.blocking("poll wait", c -> c.blpop(seconds, signal));
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private static Job job(JobId id, String json) {
        if (json.isEmpty()) {
            return null;
        }
        try {
            if (json.startsWith("ERR ")) {
                throw new CccException("REDIS_DATA_ERROR", json.substring(4), false);
            }
            return RedisJobStore.parse(id, json);
        } catch (CccException e) {
            LOG.error("job {}: cannot be read ({}); dropped from the queue", id, e.getMessage());
            return null;
        }
    }

    /** The write and the ack in one script when {@code store} shares this Redis keyspace. */
    @Override
    public Job complete(JobStore store, Lease lease, Job job) {
        if (!sharesKeyspace(store)) {
            return Queue.super.complete(store, lease, job);
        }
        RedisJobStore s = (RedisJobStore) store;
        Job stored = job.withVersion(job.version() + 1);
        String[] keys = concat(new String[] {meta, leased.get(lease.lane())}, s.updateKeys(job.id()));
        String[] args = concat(new String[] {String.valueOf(lease.token())}, s.updateArgs(stored));
        Long result = redis.eval("queue-complete", ScriptOutputType.INTEGER, keys, args);
        if (result == -2) {
            throw new LeaseLostException(lease.jobId(), lease.token());
        }
        return RedisJobStore.checkUpdate(stored, result);
    }

    @Override
    public Lease renew(Lease lease, Duration leaseTime) {
        Long expires = redis.eval("queue-renew", ScriptOutputType.INTEGER, new String[] {meta, leased.get(lease.lane())},
                lease.jobId().value(), String.valueOf(lease.token()), String.valueOf(leaseTime.toMillis()));
        if (expires < 0) {
            throw new LeaseLostException(lease.jobId(), lease.token());
        }
        return lease.withExpiry(Instant.ofEpochMilli(expires));
    }

    @Override
    public void ack(Lease lease) {
        Long done = redis.eval("queue-ack", ScriptOutputType.INTEGER, new String[] {meta, leased.get(lease.lane())},
                lease.jobId().value(), String.valueOf(lease.token()));
        if (done == 0) {
            throw new LeaseLostException(lease.jobId(), lease.token());
        }
    }

    @Override
    public void release(Lease lease, Duration delay) {
        Long done = redis.eval("queue-release", ScriptOutputType.INTEGER,
                new String[] {meta, leased.get(lease.lane()), ready.get(lease.lane()), delayed.get(lease.lane()), signal},
                lease.jobId().value(), String.valueOf(lease.token()), String.valueOf(delay.toMillis()));
        if (done == 0) {
            throw new LeaseLostException(lease.jobId(), lease.token());
        }
    }

    @Override
    public boolean remove(JobId jobId) {
        Long removed = redis.eval("queue-remove", ScriptOutputType.INTEGER, Arrays.copyOf(allKeys, 7), jobId.value());
        return removed == 1;
    }

    @Override
    public int requeueExpired() {
        Long moved = redis.eval("queue-requeue", ScriptOutputType.INTEGER, allKeys);
        return moved.intValue();
    }

    @Override
    public QueueStats stats() {
        List<Long> r = redis.eval("queue-stats", ScriptOutputType.MULTI, Arrays.copyOf(allKeys, 7));
        Map<JobKind, QueueStats.Lane> lanes = new EnumMap<>(JobKind.class);
        JobKind[] order = {JobKind.FAST, JobKind.STANDARD};
        for (int i = 0; i < 2; i++) {
            long oldest = r.get(i * 4 + 3);
            lanes.put(order[i], new QueueStats.Lane(r.get(i * 4), r.get(i * 4 + 1), r.get(i * 4 + 2),
                    oldest < 0 ? null : Instant.ofEpochMilli(oldest)));
        }
        return new QueueStats(lanes);
    }

    @Override
    public void close() {
        if (ownsRedis) {
            redis.close();
        }
    }
}
