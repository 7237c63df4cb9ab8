package io.ccc;

import io.ccc.engine.Worker;
import io.ccc.engine.WorkerConfig;
import io.ccc.spi.Backends;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.ContainerRunnerProvider;
import io.ccc.spi.JobStore;
import io.ccc.spi.JobStoreProvider;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueProvider;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageKeys;
import io.ccc.spi.StorageProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door: submit jobs, follow them, read their outputs, cancel them. Built from configuration:
 * backends given explicitly, else the ones the configuration names, else the only ones on the classpath,
 * else the embedded ones (in-memory queue and job store, files under {@code storage.dir}). A worker runs in
 * this process unless {@code worker.enabled=false} (or {@code DISABLE_WORKER=true}).
 *
 * <pre>{@code
 * try (Ccc ccc = Ccc.builder().build()) {
 *     Job job = ccc.submit(JobSpec.builder("busybox").command("sh", "-c", "echo hi > /outputs/hi.txt").build());
 *     Job done = ccc.await(job.id(), Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class Ccc implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ccc.class);
    private static final Duration AWAIT_RECHECK = Duration.ofSeconds(1);

    private final Queue queue;
    private final JobStore store;
    private final Storage storage;
    private final Worker worker;
    private final ContainerRunner runner;
    private final Deque<AutoCloseable> owned;

    private Ccc(Queue queue, JobStore store, Storage storage, ContainerRunner runner, Worker worker, Deque<AutoCloseable> owned) {
        this.queue = queue;
        this.store = store;
        this.storage = storage;
        this.runner = runner;
        this.worker = worker;
        this.owned = owned;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates and queues a job, returning it QUEUED at once. STANDARD jobs' inline inputs are written to
     * Storage first (under {@code jobs/<id>/inputs/}) unless they total at most {@link #KEEP_INLINE_BYTES};
     * FAST jobs keep theirs inline in the job store.
     *
     * @throws InvalidJobSpecException listing every problem (nothing is stored or queued then)
     */
    public Job submit(JobSpec spec) {
        return submit(JobId.newId(), spec);
    }

    /**
     * Like {@link #submit(JobSpec)} with an id chosen beforehand (see {@link #uploadInput}): inputs streamed to
     * Storage first, then the job that refers to them. If this fails, everything under the job's prefix is deleted.
     */
    public Job submit(JobId id, JobSpec spec) {
        JobSpec stored = spec.kind() == JobKind.STANDARD ? uploadInlineInputs(id, spec) : spec;
        try {
            return queue.enqueue(store, Job.queued(id, stored, Instant.now()));
        } catch (RuntimeException e) {
            if (!(e instanceof CccException c && c.code().equals("JOB_EXISTS"))) {
                deleteFilesQuietly(id); // a job that failed to queue is marked ERROR and never runs
            }
            throw e;
        }
    }

    /**
     * Streams one input of a job not yet submitted to Storage, at {@code jobs/<id>/inputs/<name>}, and returns
     * the input that refers to it. The name is checked first ({@link InvalidJobSpecException}).
     *
     * @param length the byte count if known, or -1
     */
    public Input uploadInput(JobId id, String name, InputStream data, long length) {
        String normalized = name == null ? null : io.ccc.internal.Names.normalize(name);
        List<String> problems = io.ccc.internal.Names.problems("inputs." + name, normalized);
        if (!problems.isEmpty()) {
            throw new InvalidJobSpecException(problems);
        }
        String key = StorageKeys.input(id, normalized);
        storage.put(key, data, length);
        return Input.fromStorage(normalized, key);
    }

    /** Deletes what {@link #uploadInput} stored for a job that will not be submitted after all. */
    public void discardUploads(JobId id) {
        deleteFilesQuietly(id);
    }

    /** Submits and waits for the job to finish (the natural call for FAST jobs). */
    public Job run(JobSpec spec, Duration timeout) {
        return await(submit(spec).id(), timeout);
    }

    public Optional<Job> get(JobId id) {
        return store.get(id);
    }

    public Job require(JobId id) {
        return store.get(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    /**
     * Waits until the job is finished or {@code timeout} passes, and returns it as it then is: check
     * {@link Job#isTerminal()}. Woken by job events; re-reads the store every second in case one was missed.
     */
    public Job await(JobId id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CountDownLatch done = new CountDownLatch(1);
        try (JobStore.Subscription ignored = store.subscribe(e -> {
            if (e.jobId().equals(id) && e.state().isTerminal()) {
                done.countDown();
            }
        })) {
            while (true) {
                Job job = require(id);
                long left = deadline - System.nanoTime();
                if (job.isTerminal() || left <= 0) {
                    return job;
                }
                if (done.await(Math.min(left, AWAIT_RECHECK.toNanos()), TimeUnit.NANOSECONDS)) {
                    return require(id);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return require(id);
        }
    }

    /**
     * Cancels a job: QUEUED leaves the queue; RUNNING has its container killed by its worker. Idempotent: a
     * finished job is returned unchanged.
     */
    public Job cancel(JobId id) {
        while (true) {
            Job job = require(id);
            if (job.isTerminal()) {
                return job;
            }
            Instant now = Instant.now();
            try {
                Job cancelled = store.update(job.toBuilder().state(JobState.CANCELLED).endPhase(now).finishedAt(now).updatedAt(now)
                        .error(new JobError("CANCELLED", "cancelled on request")).build());
                if (job.state() == JobState.QUEUED) {
                    queue.remove(id);
                }
                return cancelled;
            } catch (ConcurrentUpdateException e) {
                // changed meanwhile (e.g. a worker took it): look again
            }
        }
    }

    public Page<Job> list(JobQuery query) {
        return store.list(query);
    }

    /** Every job change, until the subscription is closed. */
    public JobStore.Subscription subscribe(Consumer<JobEvent> listener) {
        return store.subscribe(listener);
    }

    /** Opens an output file of a finished job (inline for FAST jobs, from Storage for STANDARD ones). */
    public InputStream openOutput(JobId id, String path) {
        Job job = require(id);
        OutputFile file = switch (path) {
            case "stdout" -> job.stdout();
            case "stderr" -> job.stderr();
            default -> job.output(path).orElse(null);
        };
        if (file == null) {
            throw new CccException("OUTPUT_NOT_FOUND", "job " + id + " has no output " + path, false);
        }
        return file.data() != null ? new ByteArrayInputStream(file.data()) : storage.get(file.key());
    }

    /** Opens stdout or stderr ({@code stream} is "stdout" or "stderr"). */
    public InputStream openLog(JobId id, String stream) {
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            throw new IllegalArgumentException("stream must be stdout or stderr");
        }
        return openOutput(id, stream);
    }

    public Queue queue() {
        return queue;
    }

    public JobStore jobStore() {
        return store;
    }

    public Storage storage() {
        return storage;
    }

    public Optional<Worker> worker() {
        return Optional.ofNullable(worker);
    }

    public Optional<ContainerRunner> containerRunner() {
        return Optional.ofNullable(runner);
    }

    /** Stops the worker (letting running jobs finish within its grace) and closes the backends this instance created. */
    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        while (!owned.isEmpty()) {
            AutoCloseable c = owned.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * Inline inputs of a STANDARD job totalling at most this many bytes stay in the job record: the job store
     * keeps them as durably as the job itself, and a storage write at submit plus a read at run would cost far
     * more than they weigh. Bigger ones all go to Storage, so job records stay small.
     */
    public static final int KEEP_INLINE_BYTES = 8 * 1024;

    private JobSpec uploadInlineInputs(JobId id, JobSpec spec) {
        long inline = spec.inputs().stream().filter(Input::isInline).mapToLong(i -> i.decodedValue().length).sum();
        if (inline <= KEEP_INLINE_BYTES) {
            return spec;
        }
        List<Input> inputs = new ArrayList<>();
        try {
            for (Input input : spec.inputs()) {
                if (input.isInline()) {
                    byte[] data = input.decodedValue();
                    String key = StorageKeys.input(id, input.name());
                    storage.put(key, new ByteArrayInputStream(data), data.length);
                    inputs.add(Input.fromStorage(input.name(), key));
                } else {
                    inputs.add(input);
                }
            }
        } catch (RuntimeException e) {
            deleteFilesQuietly(id);
            throw e;
        }
        return spec.toBuilder().inputs(inputs).build();
    }

    private void deleteFilesQuietly(JobId id) {
        try {
            storage.deleteByPrefix(StorageKeys.jobPrefix(id));
        } catch (RuntimeException e) {
            LOG.warn("could not delete files of job {}: {}", id, e.toString());
        }
    }

    /** Assembles a {@link Ccc}. Backends passed in are used as given and not closed by {@link Ccc#close()}. */
    public static final class Builder {
        private Config config;
        private Queue queue;
        private JobStore store;
        private Storage storage;
        private ContainerRunner runner;
        private Boolean workerEnabled;
        private WorkerConfig workerConfig;

        public Builder config(Config config) { this.config = config; return this; }
        public Builder queue(Queue queue) { this.queue = queue; return this; }
        public Builder jobStore(JobStore store) { this.store = store; return this; }
        public Builder storage(Storage storage) { this.storage = storage; return this; }
        public Builder containerRunner(ContainerRunner runner) { this.runner = runner; return this; }
        /** Run a worker in this process (default: {@code worker.enabled}, true). */
        public Builder worker(boolean enabled) { this.workerEnabled = enabled; return this; }
        public Builder workerConfig(WorkerConfig workerConfig) { this.workerConfig = workerConfig; return this; }

        public Ccc build() {
            Config c = config != null ? config : Config.fromEnvironment();
            Deque<AutoCloseable> owned = new ArrayDeque<>();
            try {
                Queue q = queue != null ? queue : own(owned, create(QueueProvider.class, "queue", c));
                JobStore s = store != null ? store : own(owned, create(JobStoreProvider.class, "store", c));
                Storage st = storage != null ? storage : own(owned, create(StorageProvider.class, "storage", c));
                boolean enabled = workerEnabled != null ? workerEnabled : c.getBoolean("worker.enabled", true);
                ContainerRunner r = null;
                Worker w = null;
                if (enabled) {
                    // only a worker touches the engine: with the worker off, no runner is even created
                    r = runner != null ? runner : own(owned, Backends.select(ContainerRunnerProvider.class, "runner", c)
                            .orElseThrow(() -> new CccException("INVALID_CONFIG", "no ContainerRunner on the classpath: add io.ccc:ccc-docker, "
                                    + "or disable the worker with worker.enabled=false (DISABLE_WORKER=true)", false)).create(c));
                    w = new Worker(workerConfig != null ? workerConfig : WorkerConfig.fromConfig(c), q, s, st, r);
                    w.start();
                }
                return new Ccc(q, s, st, r, w, owned);
            } catch (RuntimeException e) {
                while (!owned.isEmpty()) {
                    try {
                        owned.pop().close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private static <T extends AutoCloseable, P extends io.ccc.spi.BackendProvider<T>> T create(Class<P> type, String key, Config c) {
            return Backends.select(type, key, c).orElseThrow(() -> new CccException("INVALID_CONFIG",
                    "no " + type.getSimpleName().replace("Provider", "") + " provider found", false)).create(c);
        }

        private static <T extends AutoCloseable> T own(Deque<AutoCloseable> owned, T resource) {
            owned.push(resource);
            return resource;
        }
    }
}
