package io.ccc.redis;

import io.ccc.CccException;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.JobNotFoundException;
import io.ccc.JobQuery;
import io.ccc.JobState;
import io.ccc.Json;
import io.ccc.Page;
import io.ccc.spi.JobStats;
import io.ccc.spi.JobStore;
import io.ccc.spi.WorkerInfo;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobStore} on Redis. A job is a hash (version, JSON, state, the index keys it is in); indexes are
 * sorted sets of ids in lexicographic order (ids are UUIDv7, so that is creation order): all jobs, per state,
 * per kind, per label. A listing walks the smallest matching index from the cursor, so a page costs the page,
 * not the number of jobs. Creates and compare-and-set updates are Lua scripts that also move the indexes,
 * count statistics and publish the event on one channel, so every server sees every change, in order.
 * Finished jobs are deleted after their retention by a sweep any number of processes may run.
 */
public final class RedisJobStore implements JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisJobStore.class);
    private static final int SCAN_FACTOR = 10;

    private final Redis redis;
    private final boolean ownsRedis;
    private final String channel;
    private final String all;
    private final String done;
    private final String stats;
    private final String workers;
    private final String workersExp;
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ccc-redis-events");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ccc-redis-sweep");
        t.setDaemon(true);
        return t;
    });
    private StatefulRedisPubSubConnection<String, String> pubsub;

    public RedisJobStore(RedisConfig config) {
        this(new Redis(config), true);
    }

    RedisJobStore(Redis redis, boolean ownsRedis) {
        this.redis = redis;
        this.ownsRedis = ownsRedis;
        channel = redis.key("events");
        all = redis.key("jobs:all");
        done = redis.key("jobs:done");
        stats = redis.key("stats");
        workers = redis.key("workers");
        workersExp = redis.key("workers:exp");
        long every = redis.config().sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** True if {@code other} works on the same Redis keys, so one script may touch both. */
    boolean sameKeyspace(Redis other) {
        return redis.config().uri().equals(other.config().uri()) && redis.config().keyPrefix().equals(other.config().keyPrefix());
    }

    String jobKey(JobId id) {
        return redis.key("job:" + id.value());
    }

    private String stateIndex(JobState state) {
        return redis.key("jobs:state:" + state);
    }

    private String kindIndex(JobKind kind) {
        return redis.key("jobs:kind:" + kind);
    }

    private String labelIndex(String key, String value) {
        return redis.key("jobs:label:" + key + "=" + value);
    }

    /** The indexes a job is in for life (kind, labels); the state index moves with the state. */
    private List<String> fixedIndexes(Job job) {
        List<String> keys = new ArrayList<>();
        keys.add(kindIndex(job.kind()));
        job.spec().labels().forEach((k, v) -> keys.add(labelIndex(k, v)));
        return keys;
    }

    @Override
    public Job create(Job job) {
        Job stored = job.withVersion(1);
        Long created = redis.eval("store-create", ScriptOutputType.INTEGER, createKeys(stored), createArgs(stored));
        return checkCreate(stored, created);
    }

    /** Keys of the Lua create_job: the job, all jobs, its state index, statistics, then its fixed indexes. */
    String[] createKeys(Job job) {
        List<String> keys = new ArrayList<>(List.of(jobKey(job.id()), all, stateIndex(job.state()), stats));
        keys.addAll(fixedIndexes(job));
        return keys.toArray(String[]::new);
    }

    /** The arguments of the Lua create_job for {@code stored} (version 1). */
    String[] createArgs(Job stored) {
        return new String[] {stored.id().value(), Json.write(stored), stored.state().name(), String.join("\n", fixedIndexes(stored)),
            Json.write(JobEvent.of(stored)), channel};
    }

    static Job checkCreate(Job stored, long created) {
        if (created == 0) {
            throw new CccException("JOB_EXISTS", "job " + stored.id() + " already exists", false);
        }
        return stored;
    }

    @Override
    public Optional<Job> get(JobId id) {
        String json = redis.call("get job " + id, c -> c.hget(jobKey(id), "d"));
        return Optional.ofNullable(json).map(j -> parse(id, j));
    }

    static Job parse(JobId id, String json) {
        try {
            Job job = Json.read(json, Job.class);
            if (!job.id().equals(id)) {
                throw new CccException("CORRUPT_JOB", "job " + id + ": stored data belongs to job " + job.id(), false);
            }
            return job;
        } catch (CccException e) {
            if (e.code().equals("CORRUPT_JOB")) {
                throw e;
            }
            throw new CccException("CORRUPT_JOB", "job " + id + ": stored data is not a job: " + e.getMessage(), false, e);
        }
    }

    @Override
    public Job update(Job job) {
        Job stored = job.withVersion(job.version() + 1);
        Long result = redis.eval("store-update", ScriptOutputType.INTEGER, updateKeys(job.id()), updateArgs(stored));
        return checkUpdate(stored, result);
    }

    /** The arguments of the Lua update_job for writing {@code stored} over version {@code stored.version() - 1}. */
    String[] updateArgs(Job stored) {
        Duration keep = stored.kind() == JobKind.FAST ? redis.config().fastRetention() : redis.config().retention();
        Instant end = stored.finishedAt() != null ? stored.finishedAt() : Instant.now();
        return new String[] {stored.id().value(), String.valueOf(stored.version() - 1), Json.write(stored), stored.state().name(),
            Json.write(JobEvent.of(stored)), channel, millis(stored.startedAt()), String.valueOf(stored.createdAt().toEpochMilli()),
            millis(stored.finishedAt()), String.valueOf(end.plus(keep).toEpochMilli()), redis.key("")};
    }

    /** Keys of the Lua update_job: the job, statistics, finished jobs by expiry. */
    String[] updateKeys(JobId id) {
        return new String[] {jobKey(id), stats, done};
    }

    static Job checkUpdate(Job stored, long result) {
        if (result == -1) {
            throw new JobNotFoundException(stored.id());
        }
        if (result == 0) {
            throw new ConcurrentUpdateException(stored.id(), stored.version() - 1);
        }
        return stored;
    }

    private static String millis(Instant t) {
        return t == null ? "" : String.valueOf(t.toEpochMilli());
    }

    @Override
    public boolean lead(String role, String holder, Duration ttl) {
        Long held = redis.eval("store-lead", ScriptOutputType.INTEGER, new String[] {redis.key("lead:" + role)}, holder,
                String.valueOf(ttl.toMillis()));
        return held == 1;
    }

    private String logKey(JobId id, String stream) {
        return redis.key("log:" + id.value() + ":" + stream);
    }

    @Override
    public void appendLog(JobId id, String stream, byte[] chunk) {
        byte[] key = logKey(id, stream).getBytes(StandardCharsets.UTF_8);
        String script = redis.script("store-append-log").source();
        redis.binary("append log", c -> c.eval(script, ScriptOutputType.INTEGER, new byte[][] {key}, chunk,
                String.valueOf(LIVE_LOG_CAP).getBytes(StandardCharsets.UTF_8), "3600".getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public byte[] readLog(JobId id, String stream, long offset, int max) {
        byte[] key = logKey(id, stream).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = redis.binary("read log", c -> c.getrange(key, offset, offset + max - 1));
        return bytes == null ? new byte[0] : bytes;
    }

    @Override
    public Page<Job> list(JobQuery query) {
        String index = chooseIndex(query);
        // ids are UUIDv7, so a time gives a lexicographic bound; a second of slack covers an id made just
        // before its job's createdAt, and the exact filter is query.matches
        Range.Boundary<String> lower = query.since() == null ? Range.Boundary.unbounded()
                : Range.Boundary.including(idPrefix(query.since().minusSeconds(1)));
        Range.Boundary<String> upper = query.pageToken() == null ? Range.Boundary.unbounded()
                : Range.Boundary.excluding(JobId.of(query.pageToken()).value());
        List<Job> page = new ArrayList<>();
        int budget = query.limit() * SCAN_FACTOR + 100;
        String lastSeen = null;
        while (page.size() < query.limit() && budget > 0) {
            int batch = Math.min(Math.max(query.limit() * 2, 50), budget);
            Range<String> range = Range.from(lower, upper);
            List<String> ids = redis.call("list " + index, c -> c.zrevrangebylex(index, range, Limit.create(0, batch)));
            if (ids.isEmpty()) {
                return new Page<>(page, null);
            }
            budget -= ids.size();
            List<Object> found = redis.eval("store-getmany", ScriptOutputType.MULTI,
                    ids.stream().map(id -> redis.key("job:" + id)).toArray(String[]::new));
            for (int i = 0; i < ids.size(); i++) {
                lastSeen = ids.get(i);
                Object d = found.get(i);
                if (!(d instanceof String json) || json.startsWith("ERR ")) {
                    continue; // deleted (or foreign data) since the index was read
                }
                Job job;
                try {
                    job = parse(JobId.of(ids.get(i)), json);
                } catch (CccException e) {
                    LOG.warn("listing skips {}: {}", ids.get(i), e.getMessage());
                    continue;
                }
                if (query.matches(job)) {
                    page.add(job);
                    if (page.size() == query.limit()) {
                        return new Page<>(page, i == ids.size() - 1 && ids.size() < batch ? null : job.id().value());
                    }
                }
            }
            if (ids.size() < batch) {
                return new Page<>(page, null);
            }
            upper = Range.Boundary.excluding(lastSeen);
        }
        // scanned enough for one call: a short page, and where to go on from
        return new Page<>(page, lastSeen);
    }

    /** The smallest index that every match is in. */
    private String chooseIndex(JobQuery query) {
        List<String> candidates = new ArrayList<>();
        if (query.states().size() == 1) {
            candidates.add(stateIndex(query.states().iterator().next()));
        }
        if (query.kind() != null) {
            candidates.add(kindIndex(query.kind()));
        }
        query.labels().forEach((k, v) -> candidates.add(labelIndex(k, v)));
        if (candidates.isEmpty()) {
            return all;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return candidates.stream().min(Comparator.comparingLong(k -> redis.call("zcard", c -> c.zcard(k)))).orElse(all);
    }

    private static String idPrefix(Instant since) {
        String hex = String.format("%012x", since.toEpochMilli());
        return hex.substring(0, 8) + "-" + hex.substring(8, 12);
    }

    @Override
    public boolean delete(JobId id) {
        Long deleted = redis.eval("store-delete", ScriptOutputType.INTEGER, new String[] {jobKey(id)}, id.value(), redis.key(""));
        return deleted == 1;
    }

    /** Deletes jobs past their retention; returns how many. Safe to run from many processes at once. */
    public int sweep() {
        int total = 0;
        while (true) {
            Long n = redis.eval("store-sweep", ScriptOutputType.INTEGER, new String[] {done}, redis.key(""), "500");
            total += n.intValue();
            if (n < 500) {
                return total;
            }
        }
    }

    private void sweepQuietly() {
        try {
            int n = sweep();
            if (n > 0) {
                LOG.info("deleted {} job(s) past their retention", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized Subscription subscribe(Consumer<JobEvent> listener) {
        if (pubsub == null) {
            try {
                pubsub = redis.client().connectPubSub();
            } catch (RuntimeException e) {
                throw Redis.translate("subscribe", e);
            }
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String ch, String message) {
                    JobEvent event;
                    try {
                        event = Json.read(message, JobEvent.class);
                    } catch (RuntimeException e) {
                        LOG.warn("ignoring a malformed event on {}: {}", ch, e.getMessage());
                        return;
                    }
                    dispatcher.execute(() -> {
                        for (Consumer<JobEvent> l : listeners) {
                            try {
                                l.accept(event);
                            } catch (RuntimeException e) {
                                LOG.warn("job event listener failed on {}", event, e);
                            }
                        }
                    });
                }
            });
            // Lettuce re-subscribes by itself after a reconnect
            pubsub.sync().subscribe(channel);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void heartbeat(WorkerInfo worker, Duration ttl) {
        redis.eval("store-heartbeat", ScriptOutputType.INTEGER, new String[] {workers, workersExp},
                worker.id(), Json.write(worker), String.valueOf(ttl.toMillis()));
    }

    @Override
    public void removeWorker(String workerId) {
        redis.call("remove worker", c -> {
            c.hdel(workers, workerId);
            return c.zrem(workersExp, workerId);
        });
    }

    @Override
    public List<WorkerInfo> workers() {
        List<String> json = redis.eval("store-workers", ScriptOutputType.MULTI, new String[] {workers, workersExp});
        List<WorkerInfo> live = new ArrayList<>();
        for (String j : json) {
            try {
                live.add(Json.read(j, WorkerInfo.class));
            } catch (RuntimeException e) {
                LOG.warn("ignoring an unreadable worker heartbeat: {}", e.getMessage());
            }
        }
        return live;
    }

    @Override
    public JobStats stats() {
        Map<String, String> h = redis.call("stats", c -> c.hgetall(stats));
        Map<JobState, Long> finished = new EnumMap<>(JobState.class);
        h.forEach((k, v) -> {
            if (k.startsWith("finished:")) {
                finished.put(JobState.valueOf(k.substring(9)), Long.parseLong(v));
            }
        });
        return new JobStats(num(h, "submitted"), finished, num(h, "started"), Duration.ofMillis(num(h, "queueWaitMs")),
                Duration.ofMillis(num(h, "runTimeMs")));
    }

    private static long num(Map<String, String> h, String k) {
        return Long.parseLong(h.getOrDefault(k, "0"));
    }

    @Override
    public synchronized void close() {
        sweeper.shutdownNow();
        listeners.clear();
        if (pubsub != null) {
            pubsub.close();
        }
        dispatcher.shutdown();
        if (ownsRedis) {
            redis.close();
        }
    }
}
