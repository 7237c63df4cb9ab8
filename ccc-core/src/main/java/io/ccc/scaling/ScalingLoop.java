package io.ccc.scaling;

import io.ccc.scaling.ScalingSnapshot.WorkerView;
import io.ccc.spi.JobStore;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueStats;
import io.ccc.spi.Scaler;
import io.ccc.spi.WorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ScalingPolicy} against a {@link Scaler}: reads the queue, the workers' heartbeats and the
 * fleet, decides, acts, and marks busy workers as protected from scale-in (idle ones unprotected). In a server it
 * runs every period on the process that holds the "scaler" lead in the job store, so many servers make one
 * loop; as a Lambda, {@link #runOnce()} is the whole invocation.
 */
public final class ScalingLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingLoop.class);
    private static final String ROLE = "scaler";

    private final Queue queue;
    private final JobStore store;
    private final Scaler scaler;
    private final ScalingRules rules;
    private final String holder;
    private final Map<String, Instant> unhealthySince = new ConcurrentHashMap<>();
    private final Map<String, Boolean> protectedState = new ConcurrentHashMap<>();
    private volatile Instant lastScaleUp;
    private volatile Instant lastScaleDown;
    private ScheduledExecutorService timer;

    public ScalingLoop(Queue queue, JobStore store, Scaler scaler, ScalingRules rules, String holder) {
        this.queue = queue;
        this.store = store;
        this.scaler = scaler;
        this.rules = rules;
        this.holder = holder;
    }

    /** Runs {@link #runOnce()} every {@code period} while this process leads. */
    public synchronized void start(Duration period) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ccc-scaler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (store.lead(ROLE, holder, period.multipliedBy(3))) {
                    runOnce();
                }
            } catch (RuntimeException e) {
                LOG.warn("scaling round failed: {}", e.getMessage()); // the next round tries again; nothing else stops
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: snapshot, decide, act. Returns what was decided. */
    public ScalingDecision runOnce() {
        Instant now = Instant.now();
        Scaler.Fleet fleet = scaler.fleet();
        QueueStats stats = queue.stats();
        long ready = stats.ready();
        Duration oldest = stats.lanes().values().stream().map(QueueStats.Lane::oldestReady).filter(java.util.Objects::nonNull)
                .map(t -> Duration.between(t, now)).max(Duration::compareTo).orElse(Duration.ZERO);
        List<WorkerView> views = new ArrayList<>();
        for (WorkerInfo w : store.workers()) {
            if (w.instanceId() == null) {
                continue; // not a worker this scaler manages
            }
            Instant sick = w.healthy() ? null : unhealthySince.computeIfAbsent(w.instanceId(), k -> now);
            if (w.healthy()) {
                unhealthySince.remove(w.instanceId());
            }
            Instant idleSince = w.busySlots() > 0 ? null : w.lastJobFinishedAt() != null ? w.lastJobFinishedAt() : w.startedAt();
            views.add(new WorkerView(w.instanceId(), w.capacity(), w.busySlots(), w.startedAt(), idleSince, sick));
        }
        ScalingDecision d = ScalingPolicy.decide(new ScalingSnapshot(now, ready, oldest, fleet.desired(), views, lastScaleUp, lastScaleDown),
                rules.withLimits(Math.max(rules.min(), fleet.min()), Math.min(rules.max(), fleet.max())));
        // protection first, so the group itself never picks a busy worker when it shrinks
        for (WorkerView v : views) {
            boolean busy = v.busy();
            if (!Boolean.valueOf(busy).equals(protectedState.get(v.instanceId()))) {
                scaler.protect(v.instanceId(), busy);
                protectedState.put(v.instanceId(), busy);
            }
        }
        for (String id : d.replace()) {
            scaler.terminate(id, false);
            unhealthySince.remove(id);
        }
        for (String id : d.terminate()) {
            scaler.terminate(id, true);
            protectedState.remove(id);
        }
        int afterTerminations = fleet.desired() - d.terminate().size();
        if (d.desired() != afterTerminations) {
            scaler.setDesiredCapacity(d.desired());
        }
        if (d.desired() > fleet.desired()) {
            lastScaleUp = now;
        } else if (d.desired() < fleet.desired()) {
            lastScaleDown = now;
        }
        if (d.changes(fleet.desired())) {
            LOG.info("scaling: desired {} -> {}; terminate {}; replace {}; because {}", fleet.desired(), d.desired(), d.terminate(),
                    d.replace(), d.reasons());
        }
        return d;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
