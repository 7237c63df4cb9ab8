package io.ccc.redis;

import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueStats;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Queue} on Redis. Per lane a sorted set of ready ids (score = priority, then arrival), a sorted set
 * of leased ids by lease expiry and one of delayed ids by the end of their back-off; one hash holds each
 * entry's lane, priority, token and offer time. Every change is one Lua script, so it is atomic. An idle
 * poller blocks in BLPOP on a signal list that offers and releases push to, so idle workers cost Redis
 * nothing; expired leases and ended back-offs are moved back by any poll or by {@link #requeueExpired()}.
 */
public final class RedisQueue implements Queue {
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

    @Override
    public Optional<Lease> poll(Duration wait, Duration leaseTime) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long maxBlockMs = redis.config().timeout().toMillis() - 1000;
        while (true) {
            List<Object> r = redis.eval("queue-poll", ScriptOutputType.MULTI, allKeys, String.valueOf(leaseTime.toMillis()));
            String id = (String) r.get(0);
            if (!id.isEmpty()) {
                return Optional.of(new Lease(JobId.of(id), JobKind.valueOf((String) r.get(1)), Integer.parseInt((String) r.get(2)),
                        Integer.parseInt((String) r.get(3)), Instant.ofEpochMilli(Long.parseLong((String) r.get(4)))));
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Optional.empty();
            }
            long nextDue = Long.parseLong((String) r.get(4));
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
        Long removed = redis.eval("queue-remove", ScriptOutputType.INTEGER, java.util.Arrays.copyOf(allKeys, 7), jobId.value());
        return removed == 1;
    }

    @Override
    public int requeueExpired() {
        Long moved = redis.eval("queue-requeue", ScriptOutputType.INTEGER, allKeys);
        return moved.intValue();
    }

    @Override
    public QueueStats stats() {
        List<Long> r = redis.eval("queue-stats", ScriptOutputType.MULTI, java.util.Arrays.copyOf(allKeys, 7));
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
