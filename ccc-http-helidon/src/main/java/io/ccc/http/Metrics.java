package io.ccc.http;

import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobKind;
import io.ccc.JobState;
import io.ccc.Phase;
import io.ccc.spi.JobStats;
import io.ccc.spi.JobStore;
import io.ccc.spi.QueueStats;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * {@code /metrics} in the Prometheus text format: jobs by outcome, queue depth and oldest wait per lane,
 * workers, per-phase durations of the jobs this server saw finish, and HTTP request latency.
 */
final class Metrics implements Filter, AutoCloseable {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};

    private final Ccc ccc;
    private final Map<String, Histogram> phases = new ConcurrentHashMap<>();
    private final Map<String, Histogram> http = new ConcurrentHashMap<>();
    private final JobStore.Subscription subscription;

    Metrics(Ccc ccc) {
        this.ccc = ccc;
        // phase durations come from finished jobs; every server sees every job finish
        this.subscription = ccc.subscribe(e -> {
            if (e.state().isTerminal()) {
                try {
                    ccc.get(e.jobId()).ifPresent(this::observe);
                } catch (RuntimeException ignored) {
                    // a metric is not worth an error
                }
            }
        });
    }

    private void observe(Job job) {
        job.phaseDurations().forEach((phase, d) -> phases.computeIfAbsent(phase.name(), k -> new Histogram()).observe(d));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            String key = req.prologue().method().text() + "|" + res.status().code();
            http.computeIfAbsent(key, k -> new Histogram()).observe(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    void handle(ServerRequest req, ServerResponse res) {
        StringBuilder out = new StringBuilder();
        JobStats stats = ccc.jobStore().stats();
        out.append("# HELP ccc_jobs_submitted_total Jobs submitted.\n# TYPE ccc_jobs_submitted_total counter\n");
        out.append("ccc_jobs_submitted_total ").append(stats.submitted()).append('\n');
        out.append("# HELP ccc_jobs_finished_total Jobs finished, by final state.\n# TYPE ccc_jobs_finished_total counter\n");
        for (JobState s : JobState.values()) {
            if (s.isTerminal()) {
                out.append("ccc_jobs_finished_total{state=\"").append(s).append("\"} ").append(stats.finished().getOrDefault(s, 0L)).append('\n');
            }
        }
        out.append("# HELP ccc_job_queue_wait_seconds_total Time jobs waited in the queue before they started.\n");
        out.append("# TYPE ccc_job_queue_wait_seconds_total counter\n");
        out.append("ccc_job_queue_wait_seconds_total ").append(seconds(stats.queueWait())).append('\n');
        QueueStats q = ccc.queue().stats();
        out.append("# HELP ccc_queue_jobs Queue entries by lane and status.\n# TYPE ccc_queue_jobs gauge\n");
        out.append("# HELP ccc_queue_oldest_wait_seconds How long the next entry of a lane has waited.\n");
        for (JobKind lane : JobKind.values()) {
            QueueStats.Lane l = q.lanes().get(lane);
            String ln = lane.name().toLowerCase(Locale.ROOT);
            out.append("ccc_queue_jobs{lane=\"").append(ln).append("\",status=\"ready\"} ").append(l.ready()).append('\n');
            out.append("ccc_queue_jobs{lane=\"").append(ln).append("\",status=\"leased\"} ").append(l.leased()).append('\n');
            out.append("ccc_queue_jobs{lane=\"").append(ln).append("\",status=\"delayed\"} ").append(l.delayed()).append('\n');
            double wait = l.oldestReady() == null ? 0 : Math.max(0, Duration.between(l.oldestReady(), Instant.now()).toMillis() / 1000.0);
            out.append("ccc_queue_oldest_wait_seconds{lane=\"").append(ln).append("\"} ").append(wait).append('\n');
        }
        var workers = ccc.jobStore().workers();
        out.append("# HELP ccc_workers Live workers by health.\n# TYPE ccc_workers gauge\n");
        out.append("ccc_workers{healthy=\"true\"} ").append(workers.stream().filter(w -> w.healthy()).count()).append('\n');
        out.append("ccc_workers{healthy=\"false\"} ").append(workers.stream().filter(w -> !w.healthy()).count()).append('\n');
        out.append("ccc_worker_slots{state=\"busy\"} ").append(workers.stream().mapToInt(w -> w.busySlots()).sum()).append('\n');
        out.append("ccc_worker_slots{state=\"total\"} ").append(workers.stream().mapToInt(w -> w.capacity()).sum()).append('\n');
        out.append("# HELP ccc_job_phase_seconds Duration of each phase of finished jobs.\n# TYPE ccc_job_phase_seconds histogram\n");
        for (Phase p : Phase.values()) {
            Histogram h = phases.get(p.name());
            if (h != null) {
                h.write(out, "ccc_job_phase_seconds", "phase=\"" + p.name().toLowerCase(Locale.ROOT) + "\"");
            }
        }
        out.append("# HELP ccc_http_request_seconds HTTP request latency by method and status.\n# TYPE ccc_http_request_seconds histogram\n");
        http.forEach((key, h) -> {
            String[] parts = key.split("\\|");
            h.write(out, "ccc_http_request_seconds", "method=\"" + parts[0] + "\",status=\"" + parts[1] + "\"");
        });
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(out.toString());
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        subscription.close();
    }

    /** Cumulative buckets, sum and count, lock-free. */
    static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        private final DoubleAdder sum = new DoubleAdder();

        void observe(Duration d) {
            double s = d.toNanos() / 1e9;
            int i = 0;
            while (i < BUCKETS.length && s > BUCKETS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sum.add(s);
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts.get(i);
                out.append(name).append("_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += counts.get(BUCKETS.length);
            out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(cumulative).append('\n');
            out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
            out.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
        }
    }
}
