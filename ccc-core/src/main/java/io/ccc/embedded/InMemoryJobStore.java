package io.ccc.embedded;

import io.ccc.CccException;
import io.ccc.ConcurrentUpdateException;
import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.JobNotFoundException;
import io.ccc.JobQuery;
import io.ccc.JobState;
import io.ccc.Page;
import io.ccc.spi.JobStats;
import io.ccc.spi.JobStore;
import io.ccc.spi.WorkerInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs in this JVM, sorted by id (= creation time). Writes are serialized by one lock so that events leave
 * in version order; listeners run on one dispatcher thread, never on the writer's.
 */
public final class InMemoryJobStore implements JobStore {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobStore.class);

    private final Clock clock;
    private final ConcurrentSkipListMap<JobId, Job> jobs = new ConcurrentSkipListMap<>();
    private final Map<String, Heartbeat> workers = new ConcurrentHashMap<>();
    private final Map<String, java.io.ByteArrayOutputStream> liveLogs = new ConcurrentHashMap<>();
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ccc-store-events");
        t.setDaemon(true);
        return t;
    });
    private final Object writeLock = new Object();
    private long submitted;
    private long started;
    private final Map<JobState, Long> finished = new EnumMap<>(JobState.class);
    private Duration queueWait = Duration.ZERO;
    private Duration runTime = Duration.ZERO;

    private record Heartbeat(WorkerInfo info, Instant expiresAt) {
    }

    public InMemoryJobStore() {
        this(Clock.systemUTC());
    }

    public InMemoryJobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Job create(Job job) {
        synchronized (writeLock) {
            Job stored = job.withVersion(1);
            if (jobs.putIfAbsent(job.id(), stored) != null) {
                throw new CccException("JOB_EXISTS", "job " + job.id() + " already exists", false);
            }
            submitted++;
            publish(stored);
            return stored;
        }
    }

    @Override
    public Optional<Job> get(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public Job update(Job job) {
        synchronized (writeLock) {
            Job current = jobs.get(job.id());
            if (current == null) {
                throw new JobNotFoundException(job.id());
            }
            if (current.version() != job.version()) {
                throw new ConcurrentUpdateException(job.id(), job.version());
            }
            Job stored = job.withVersion(job.version() + 1);
            jobs.put(job.id(), stored);
            count(current, stored);
            if (stored.isTerminal()) {
                // followers go on from the final log
                liveLogs.remove(job.id() + "/stdout");
                liveLogs.remove(job.id() + "/stderr");
            }
            publish(stored);
            return stored;
        }
    }

    @Override
    public Page<Job> list(JobQuery query) {
        Map<JobId, Job> view = jobs.descendingMap();
        if (query.pageToken() != null) {
            view = jobs.headMap(JobId.of(query.pageToken()), false).descendingMap();
        }
        List<Job> page = new ArrayList<>();
        String next = null;
        for (Job job : view.values()) {
            if (query.since() != null && job.createdAt().isBefore(query.since())) {
                break; // newest first: everything after is older
            }
            if (!query.matches(job)) {
                continue;
            }
            if (page.size() == query.limit()) {
                next = page.get(page.size() - 1).id().value();
                break;
            }
            page.add(job);
        }
        return new Page<>(page, next);
    }

    @Override
    public boolean delete(JobId id) {
        synchronized (writeLock) {
            return jobs.remove(id) != null;
        }
    }

    private final Map<String, Heartbeat> leaders = new ConcurrentHashMap<>();

    @Override
    public boolean lead(String role, String holder, Duration ttl) {
        Instant now = clock.instant();
        Heartbeat next = new Heartbeat(new WorkerInfo(holder, null, 0, 0, true, null, null, null, null, null, null), now.plus(ttl));
        return leaders.compute(role, (k, cur) -> cur == null || cur.expiresAt.isBefore(now) || cur.info.id().equals(holder) ? next : cur)
                .info.id().equals(holder);
    }

    @Override
    public void appendLog(JobId id, String stream, byte[] chunk) {
        java.io.ByteArrayOutputStream log = liveLogs.computeIfAbsent(id + "/" + stream, k -> new java.io.ByteArrayOutputStream());
        synchronized (log) {
            int room = (int) Math.max(0, LIVE_LOG_CAP - log.size());
            log.write(chunk, 0, Math.min(room, chunk.length));
        }
    }

    @Override
    public byte[] readLog(JobId id, String stream, long offset, int max) {
        java.io.ByteArrayOutputStream log = liveLogs.get(id + "/" + stream);
        if (log == null) {
            return new byte[0];
        }
        synchronized (log) {
            byte[] all = log.toByteArray();
            int from = (int) Math.min(offset, all.length);
            return java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + max));
        }
    }

    @Override
    public Subscription subscribe(Consumer<JobEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void heartbeat(WorkerInfo worker, Duration ttl) {
        workers.put(worker.id(), new Heartbeat(worker, clock.instant().plus(ttl)));
    }

    @Override
    public void removeWorker(String workerId) {
        workers.remove(workerId);
    }

    @Override
    public List<WorkerInfo> workers() {
        Instant now = clock.instant();
        workers.values().removeIf(h -> h.expiresAt.isBefore(now));
        return workers.values().stream().map(Heartbeat::info).toList();
    }

    @Override
    public JobStats stats() {
        synchronized (writeLock) {
            return new JobStats(submitted, finished, started, queueWait, runTime);
        }
    }

    @Override
    public void close() {
        listeners.clear();
        dispatcher.shutdown();
    }

    private void count(Job before, Job after) {
        JobStats.Delta d = JobStats.Delta.of(before, after);
        if (d.started()) {
            started++;
            queueWait = queueWait.plus(d.queueWait());
        }
        if (d.finished() != null) {
            finished.merge(d.finished(), 1L, Long::sum);
            runTime = runTime.plus(d.runTime());
        }
    }

    private void publish(Job job) {
        JobEvent event = JobEvent.of(job);
        for (Consumer<JobEvent> listener : listeners) {
            dispatcher.execute(() -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("job event listener failed on {}", event, e);
                }
            });
        }
    }
}
