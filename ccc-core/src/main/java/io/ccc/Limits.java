package io.ccc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Time limits. {@code maxDuration}: how long the container may run before it is killed (TIMED_OUT);
 * default 10 minutes. {@code maxQueued}: how long the job may wait in the queue (unset: no limit).
 * JSON takes ISO-8601 ("PT30S") or short forms ("30s", "5m", "500ms").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Limits(Duration maxDuration, Duration maxQueued) {
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);
    public static final Duration MAX_DURATION_CEILING = Duration.ofDays(7);
    public static final Limits DEFAULT = new Limits(null, null);

    public Limits {
        maxDuration = maxDuration == null ? DEFAULT_MAX_DURATION : maxDuration;
    }

    public static Limits maxDuration(Duration maxDuration) {
        return new Limits(maxDuration, null);
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (maxDuration.isNegative() || maxDuration.isZero() || maxDuration.compareTo(MAX_DURATION_CEILING) > 0) {
            problems.add("limits.maxDuration: must be > 0 and <= 7 days, got " + maxDuration);
        }
        if (maxQueued != null && (maxQueued.isNegative() || maxQueued.isZero())) {
            problems.add("limits.maxQueued: must be > 0, got " + maxQueued);
        }
        return problems;
    }
}
