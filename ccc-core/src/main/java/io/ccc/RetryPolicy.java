package io.ccc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a job is tried when the system (not the job) fails: a lost worker, an engine or storage error.
 * A container's exit code is final and never retried. Back-off doubles from {@code initialBackoff} up to
 * {@code maxBackoff}, with full jitter so a fleet does not retry in lock-step.
 */
public record RetryPolicy(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(null, null, null);
    public static final RetryPolicy NONE = new RetryPolicy(1, null, null);

    public RetryPolicy {
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff;
    }

    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, null, null);
    }

    /** Delay before attempt {@code attempt + 1}, after attempt {@code attempt} (1-based) failed. */
    public Duration backoff(int attempt) {
        long base = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long exp = base << Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = Math.max(1, Math.min(cap, exp < 0 ? cap : exp));
        // "equal jitter": never less than half the ceiling, so back-off still grows
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (maxAttempts < 1 || maxAttempts > 100) {
            problems.add("retry.maxAttempts: must be between 1 and 100, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            problems.add("retry.initialBackoff: must be > 0, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            problems.add("retry.maxBackoff: must be >= initialBackoff, got " + maxBackoff);
        }
        return problems;
    }
}
