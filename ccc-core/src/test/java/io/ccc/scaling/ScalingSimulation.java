package io.ccc.scaling;

import io.ccc.scaling.ScalingSnapshot.WorkerView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A bursty day of arrivals run against two scaling rules: ccc's {@link ScalingPolicy} and the original's
 * (+1 worker a minute while jobs wait; to the minimum once the queue is empty and no job finished for 10 minutes,
 * busy workers or not).
 * Prints worker-minutes, p50/p95 queue wait and jobs caught on a terminated worker, side by side.
 *
 * <p>Run: {@code bash bench/scaling-sim.sh [seed]}. Model: 2 slots per worker, 90 s boot, job times log-normal
 * (median 3 min), a quiet night, a busy day with three bursts of 150 jobs; controllers run every 30 s (ccc) and
 * every 60 s (original); the original's scale-down picks any worker, as an Auto Scaling group does.
 */
public final class ScalingSimulation {
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Duration BOOT = Duration.ofSeconds(90);
    private static final int SLOTS = 2;
    private static final int MAX = 40;

    record Result(String name, double workerMinutes, long p50, long p95, int killedJobs, int finished, int maxWorkers) {
    }

    private static final class Job {
        final long arrival;
        final long duration;
        long started = -1;

        Job(long arrival, long duration) {
            this.arrival = arrival;
            this.duration = duration;
        }
    }

    private static final class Worker {
        final String id;
        final long launched;
        final List<Job> running = new ArrayList<>();
        final List<Long> ends = new ArrayList<>();
        long idleSince;

        Worker(String id, long launched) {
            this.id = id;
            this.launched = launched;
            this.idleSince = launched + BOOT.toSeconds();
        }

        boolean ready(long t) {
            return t >= launched + BOOT.toSeconds();
        }
    }

    interface Controller {
        /** Returns the new desired size and the workers to remove. */
        List<String> control(long t, Deque<Job> queue, List<Worker> workers, int[] desired, long lastFinished);

        long period();
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        List<Job> arrivals = day(new Random(seed));
        Result ours = run("ccc ScalingPolicy", arrivals, cccController());
        Result original = run("original (+1/min, to min when idle)", arrivals, originalController());
        System.out.printf("a bursty day: %d jobs, seed %d, %d slots/worker, max %d workers, boot %d s%n", arrivals.size(), seed, SLOTS, MAX,
                BOOT.toSeconds());
        System.out.printf("%-38s %16s %12s %12s %22s %10s%n", "rules", "worker-minutes", "p50 wait s", "p95 wait s", "jobs on killed workers",
                "max fleet");
        for (Result r : List.of(ours, original)) {
            System.out.printf("%-38s %16.0f %12d %12d %22d %10d%n", r.name, r.workerMinutes, r.p50, r.p95, r.killedJobs, r.maxWorkers);
        }
        System.out.printf("ccc / original: worker-minutes %.2f, p95 wait %.2f%n", ours.workerMinutes / original.workerMinutes,
                original.p95 == 0 ? 0 : (double) ours.p95 / original.p95);
    }

    static List<Job> day(Random rnd) {
        List<Job> jobs = new ArrayList<>();
        for (long t = 0; t < 86_400; t += STEP.toSeconds()) {
            double hour = t / 3600.0;
            double perMinute = hour < 7 ? 0.05 : hour < 19 ? 1.5 : 0.3;
            double expected = perMinute * STEP.toSeconds() / 60.0;
            int n = poisson(rnd, expected);
            for (int i = 0; i < n; i++) {
                jobs.add(new Job(t, duration(rnd)));
            }
        }
        for (double burstHour : new double[] {9, 13, 16.5}) {
            long at = (long) (burstHour * 3600);
            for (int i = 0; i < 150; i++) {
                jobs.add(new Job(at + rnd.nextInt(60), duration(rnd)));
            }
        }
        jobs.sort((a, b) -> Long.compare(a.arrival, b.arrival));
        return jobs;
    }

    private static long duration(Random rnd) {
        double median = 180;
        double s = Math.exp(Math.log(median) + 0.8 * rnd.nextGaussian());
        return Math.max(20, Math.min(1800, Math.round(s)));
    }

    private static int poisson(Random rnd, double lambda) {
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    static Result run(String name, List<Job> template, Controller controller) {
        List<Job> arrivals = template.stream().map(j -> new Job(j.arrival, j.duration)).toList();
        Iterator<Job> next = arrivals.iterator();
        Job pending = next.hasNext() ? next.next() : null;
        Deque<Job> queue = new ArrayDeque<>();
        List<Worker> workers = new ArrayList<>();
        List<Long> waits = new ArrayList<>();
        int[] desired = {0};
        int killed = 0;
        int finished = 0;
        int maxWorkers = 0;
        int serial = 0;
        long lastFinished = 0;
        double workerSeconds = 0;
        long end = 86_400 + 6 * 3600; // let the evening drain
        for (long t = 0; t < end; t += STEP.toSeconds()) {
            while (pending != null && pending.arrival <= t) {
                queue.add(pending);
                pending = next.hasNext() ? next.next() : null;
            }
            // jobs finish
            for (Worker w : workers) {
                for (int i = w.running.size() - 1; i >= 0; i--) {
                    if (w.ends.get(i) <= t) {
                        w.running.remove(i);
                        w.ends.remove(i);
                        finished++;
                        lastFinished = t;
                        if (w.running.isEmpty()) {
                            w.idleSince = t;
                        }
                    }
                }
            }
            if (t % controller.period() == 0) {
                List<String> remove = controller.control(t, queue, workers, desired, lastFinished);
                for (Iterator<Worker> it = workers.iterator(); it.hasNext(); ) {
                    Worker w = it.next();
                    if (remove.contains(w.id)) {
                        killed += w.running.size();
                        for (Job j : w.running) {
                            j.started = -1;
                            queue.addFirst(j); // the queue gives it to another worker
                        }
                        it.remove();
                    }
                }
                while (workers.size() < desired[0]) {
                    workers.add(new Worker("w" + serial++, t));
                }
            }
            // free slots take jobs, FIFO
            for (Worker w : workers) {
                while (w.ready(t) && w.running.size() < SLOTS && !queue.isEmpty()) {
                    Job j = queue.poll();
                    if (j.started < 0) {
                        waits.add(t - j.arrival);
                    }
                    j.started = t;
                    w.running.add(j);
                    w.ends.add(t + j.duration);
                }
            }
            workerSeconds += workers.size() * STEP.toSeconds();
            maxWorkers = Math.max(maxWorkers, workers.size());
        }
        Collections.sort(waits);
        long p50 = waits.isEmpty() ? 0 : waits.get(waits.size() / 2);
        long p95 = waits.isEmpty() ? 0 : waits.get((int) (waits.size() * 0.95));
        return new Result(name, workerSeconds / 60, p50, p95, killed, finished, maxWorkers);
    }

    static Controller cccController() {
        ScalingRules rules = new ScalingRules(0, MAX, SLOTS, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(3),
                Duration.ofMinutes(3), Duration.ZERO);
        Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
        Instant[] lastUp = {null};
        Instant[] lastDown = {null};
        return new Controller() {
            @Override
            public List<String> control(long t, Deque<Job> queue, List<Worker> workers, int[] desired, long lastFinished) {
                Instant now = epoch.plusSeconds(t);
                List<WorkerView> views = workers.stream().map(w -> new WorkerView(w.id, SLOTS, w.running.size(), epoch.plusSeconds(w.launched),
                        w.running.isEmpty() ? epoch.plusSeconds(w.idleSince) : null, null)).toList();
                // a booting worker is not idle yet: it has not had its chance to take work
                views = views.stream().map(v -> v.idleSince() != null && v.idleSince().isAfter(now) ? new WorkerView(v.instanceId(), v.capacity(),
                        v.busySlots(), v.launchedAt(), now, null) : v).toList();
                long oldest = queue.isEmpty() ? 0 : t - queue.peek().arrival;
                ScalingDecision d = ScalingPolicy.decide(new ScalingSnapshot(now, queue.size(), Duration.ofSeconds(oldest), desired[0], views,
                        lastUp[0], lastDown[0]), rules);
                if (d.desired() > desired[0]) {
                    lastUp[0] = now;
                } else if (d.desired() < desired[0]) {
                    lastDown[0] = now;
                }
                desired[0] = d.desired();
                return d.terminate();
            }

            @Override
            public long period() {
                return 30;
            }
        };
    }

    /**
     * The original lambda (reference §8): +1 a minute while jobs wait; when none wait, no job finished for
     * 10 minutes and the last scale-down is 10 minutes old, desired = min in one step, running jobs unchecked
     * (the group picks the victims).
     */
    static Controller originalController() {
        long[] lastDown = {-1_000_000};
        return new Controller() {
            @Override
            public List<String> control(long t, Deque<Job> queue, List<Worker> workers, int[] desired, long lastFinished) {
                if (!queue.isEmpty()) {
                    desired[0] = Math.min(MAX, desired[0] + 1);
                    return List.of();
                }
                if (t - lastFinished < 600 || t - lastDown[0] < 600 || desired[0] == 0) {
                    return List.of();
                }
                lastDown[0] = t;
                List<String> remove = new ArrayList<>();
                for (Worker w : workers) {
                    remove.add(w.id);
                }
                desired[0] = 0;
                return remove;
            }

            @Override
            public long period() {
                return 60;
            }
        };
    }
}
