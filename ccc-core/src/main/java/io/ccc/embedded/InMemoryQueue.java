package io.ccc.embedded;

import io.ccc.JobId;
import io.ccc.JobKind;
import io.ccc.spi.Lease;
import io.ccc.spi.LeaseLostException;
import io.ccc.spi.Queue;
import io.ccc.spi.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue in this JVM. One lock; ready entries sorted per lane by (priority desc, arrival); delayed and
 * leased entries sorted by the time they become ready again, so a poll never scans. A waiting poll sleeps
 * on a condition until an offer, a release, the next back-off end or the next lease expiry.
 */
public final class InMemoryQueue implements Queue {
    private enum Status { READY, DELAYED, LEASED }

    private static final class Item {
        final QueueEntry entry;
        final long seq;
        final Instant offeredAt;
        Status status = Status.READY;
        int token;
        Instant readyAt; // DELAYED: when it becomes ready; LEASED: when the lease expires
        long timerSeq;
        boolean timed; // in the timers set

        Item(QueueEntry entry, long seq, Instant offeredAt) {
            this.entry = entry;
            this.seq = seq;
            this.offeredAt = offeredAt;
        }
    }

    private static final Comparator<Item> BY_PRIORITY = Comparator.<Item>comparingInt(i -> -i.entry.priority()).thenComparingLong(i -> i.seq);
    private static final Comparator<Item> BY_TIME = Comparator.<Item, Instant>comparing(i -> i.readyAt).thenComparingLong(i -> i.timerSeq);

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<JobId, Item> items = new HashMap<>();
    private final Map<JobKind, TreeSet<Item>> ready = new EnumMap<>(JobKind.class);
    private final TreeSet<Item> timers = new TreeSet<>(BY_TIME);
    private long seq;
    private boolean closed;

    public InMemoryQueue() {
        this(Clock.systemUTC());
    }

    public InMemoryQueue(Clock clock) {
        this.clock = clock;
        for (JobKind lane : JobKind.values()) {
            ready.put(lane, new TreeSet<>(BY_PRIORITY));
        }
    }

    @Override
    public void offer(QueueEntry entry) {
        lock.lock();
        try {
            checkOpen();
            if (items.containsKey(entry.jobId())) {
                return;
            }
            Item item = new Item(entry, seq++, clock.instant());
            items.put(entry.jobId(), item);
            ready.get(entry.lane()).add(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Lease> poll(Duration wait, Duration leaseTime) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                checkOpen();
                Instant now = clock.instant();
                promoteDue(now);
                for (JobKind lane : JobKind.values()) { // FAST first: enum order
                    Item item = ready.get(lane).pollFirst();
                    if (item != null) {
                        item.status = Status.LEASED;
                        item.token++;
                        setTimer(item, now.plus(leaseTime));
                        return Optional.of(leaseOf(item));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                if (!timers.isEmpty()) {
                    long untilTimer = Duration.between(now, timers.first().readyAt).toNanos();
                    left = Math.min(left, Math.max(untilTimer, TimeUnit.MILLISECONDS.toNanos(1)));
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Lease renew(Lease lease, Duration leaseTime) {
        lock.lock();
        try {
            Item item = held(lease);
            Instant now = clock.instant();
            if (!item.readyAt.isAfter(now)) {
                // expired, though not yet requeued: extending it would let two holders overlap
                requeue(item);
                throw new LeaseLostException(lease.jobId(), lease.token());
            }
            setTimer(item, now.plus(leaseTime));
            return leaseOf(item);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void ack(Lease lease) {
        lock.lock();
        try {
            Item item = held(lease);
            untime(item);
            items.remove(item.entry.jobId());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(Lease lease, Duration delay) {
        lock.lock();
        try {
            Item item = held(lease);
            untime(item);
            if (delay.isZero() || delay.isNegative()) {
                item.status = Status.READY;
                ready.get(item.entry.lane()).add(item);
            } else {
                item.status = Status.DELAYED;
                setTimer(item, clock.instant().plus(delay));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(JobId jobId) {
        lock.lock();
        try {
            Item item = items.remove(jobId);
            if (item == null) {
                return false;
            }
            untime(item);
            ready.get(item.entry.lane()).remove(item);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int requeueExpired() {
        lock.lock();
        try {
            return promoteDue(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public QueueStats stats() {
        lock.lock();
        try {
            Map<JobKind, QueueStats.Lane> lanes = new EnumMap<>(JobKind.class);
            for (JobKind lane : JobKind.values()) {
                long leased = 0;
                long delayed = 0;
                for (Item t : timers) {
                    if (t.entry.lane() == lane) {
                        if (t.status == Status.LEASED) {
                            leased++;
                        } else {
                            delayed++;
                        }
                    }
                }
                TreeSet<Item> r = ready.get(lane);
                Instant oldest = r.stream().map(i -> i.offeredAt).min(Comparator.naturalOrder()).orElse(null);
                lanes.put(lane, new QueueStats.Lane(r.size(), leased, delayed, oldest));
            }
            return new QueueStats(lanes);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Item held(Lease lease) {
        Item item = items.get(lease.jobId());
        if (item == null || item.status != Status.LEASED || item.token != lease.token()) {
            throw new LeaseLostException(lease.jobId(), lease.token());
        }
        return item;
    }

    private int promoteDue(Instant now) {
        int moved = 0;
        while (!timers.isEmpty() && !timers.first().readyAt.isAfter(now)) {
            Item item = timers.pollFirst();
            item.timed = false;
            item.status = Status.READY;
            ready.get(item.entry.lane()).add(item);
            moved++;
        }
        if (moved > 0) {
            changed.signalAll();
        }
        return moved;
    }

    private void requeue(Item item) {
        untime(item);
        item.status = Status.READY;
        ready.get(item.entry.lane()).add(item);
        changed.signalAll();
    }

    private void setTimer(Item item, Instant at) {
        untime(item);
        item.readyAt = at;
        item.timerSeq = seq++;
        item.timed = true;
        timers.add(item);
    }

    private void untime(Item item) {
        if (item.timed) {
            timers.remove(item);
            item.timed = false;
        }
    }

    private static Lease leaseOf(Item item) {
        return new Lease(item.entry.jobId(), item.entry.lane(), item.entry.priority(), item.token, item.readyAt);
    }

    private void checkOpen() {
        if (closed) {
            throw new io.ccc.CccException("QUEUE_CLOSED", "queue is closed", false);
        }
    }
}
