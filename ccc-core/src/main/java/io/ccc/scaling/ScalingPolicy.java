package io.ccc.scaling;

import io.ccc.scaling.ScalingSnapshot.WorkerView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The scaling decision, a pure function of a snapshot and the rules, so it can be tested as a table and run
 * the same in a server, a Lambda or a simulation.
 *
 * <ul>
 *   <li>Up, proportional to the backlog: enough workers for the busy slots plus every waiting job, at once
 *       (not +1 a minute), within max, at most once per scale-up cooldown.</li>
 *   <li>Down, only when nothing waits: idle workers (idle at least the idle period, and, with a billing
 *       increment, near the end of a paid one) are terminated one by one, by name, never a busy one, never
 *       below min, at most once per scale-down cooldown. With min 0 the fleet goes to zero.</li>
 *   <li>Unhealthy workers past the grace period are replaced (terminated without shrinking the fleet).</li>
 * </ul>
 */
public final class ScalingPolicy {
    private ScalingPolicy() {
    }

    public static ScalingDecision decide(ScalingSnapshot s, ScalingRules r) {
        List<String> reasons = new ArrayList<>();
        List<String> replace = new ArrayList<>();
        List<String> terminate = new ArrayList<>();
        int desired = clamp(s.desired(), r);
        if (desired != s.desired()) {
            reasons.add("desired " + s.desired() + " outside [" + r.min() + ", " + r.max() + "]: set to " + desired);
        }

        for (WorkerView w : s.workers()) {
            if (w.unhealthySince() != null && !Duration.between(w.unhealthySince(), s.now()).minus(r.unhealthyGrace()).isNegative()) {
                replace.add(w.instanceId());
                reasons.add("worker " + w.instanceId() + " unhealthy for over " + r.unhealthyGrace() + ": replace it");
            }
        }

        long busySlots = s.workers().stream().mapToLong(WorkerView::busySlots).sum();
        int needed = (int) Math.min(Integer.MAX_VALUE, (busySlots + s.readyJobs() + r.slotsPerWorker() - 1) / r.slotsPerWorker());
        if (s.readyJobs() > 0) {
            int target = clamp(Math.max(needed, 1), r);
            if (target > desired) {
                if (cooling(s.lastScaleUp(), s, r.scaleUpCooldown())) {
                    reasons.add(s.readyJobs() + " job(s) waiting but the scale-up cooldown runs until "
                            + s.lastScaleUp().plus(r.scaleUpCooldown()));
                } else {
                    reasons.add(s.readyJobs() + " job(s) waiting (oldest " + s.oldestWait().toSeconds() + " s) and " + busySlots
                            + " busy slot(s) need " + needed + " worker(s) of " + r.slotsPerWorker() + " slots: " + desired + " -> " + target);
                    desired = target;
                }
            } else if (needed > r.max()) {
                reasons.add("the backlog needs " + needed + " workers; capped at max " + r.max());
            }
            return new ScalingDecision(desired, terminate, replace, reasons);
        }

        // nothing waits: shrink by removing idle workers by name, so a busy one is never picked
        if (desired <= r.min()) {
            return new ScalingDecision(desired, terminate, replace, reasons);
        }
        if (cooling(s.lastScaleDown(), s, r.scaleDownCooldown()) || cooling(s.lastScaleUp(), s, r.scaleDownCooldown())) {
            reasons.add("no job waiting, but within the scale-down cooldown");
            return new ScalingDecision(desired, terminate, replace, reasons);
        }
        List<WorkerView> idle = s.workers().stream()
                .filter(w -> !w.busy() && w.unhealthySince() == null && !replace.contains(w.instanceId()))
                .filter(w -> w.idleSince() != null && !Duration.between(w.idleSince(), s.now()).minus(r.idleBeforeScaleDown()).isNegative())
                .filter(w -> nearEndOfIncrement(w, s, r))
                .sorted(Comparator.comparing(WorkerView::idleSince))
                .toList();
        int removable = desired - r.min();
        for (WorkerView w : idle) {
            if (terminate.size() == removable) {
                break;
            }
            terminate.add(w.instanceId());
            reasons.add("worker " + w.instanceId() + " idle since " + w.idleSince() + " and no job waiting: terminate it");
        }
        desired -= terminate.size();
        return new ScalingDecision(desired, terminate, replace, reasons);
    }

    /** With a billing increment, a worker goes only in the last tenth (at least a minute) of a paid increment. */
    private static boolean nearEndOfIncrement(WorkerView w, ScalingSnapshot s, ScalingRules r) {
        if (r.billingIncrement().isZero() || w.launchedAt() == null) {
            return true;
        }
        long inc = r.billingIncrement().toMillis();
        long into = Duration.between(w.launchedAt(), s.now()).toMillis() % inc;
        long margin = Math.max(60_000, inc / 10);
        return inc - into <= margin;
    }

    private static boolean cooling(java.time.Instant last, ScalingSnapshot s, Duration cooldown) {
        return last != null && Duration.between(last, s.now()).compareTo(cooldown) < 0;
    }

    private static int clamp(int n, ScalingRules r) {
        return Math.max(r.min(), Math.min(r.max(), n));
    }
}
