package io.ccc;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's state. FAILED is the user's failure (non-zero exit, never retried); ERROR is the system's,
 * after the retry policy gave up. The allowed transitions live in {@link #TRANSITIONS} and nowhere else.
 */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ERROR;

    private static final Set<JobState> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ERROR);

    /** from → allowed targets. RUNNING → RUNNING is a phase change or a new attempt taking over a lost lease. */
    private static final Map<JobState, Set<JobState>> TRANSITIONS = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, TIMED_OUT, ERROR),
            RUNNING, EnumSet.of(RUNNING, QUEUED, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ERROR),
            SUCCEEDED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            TIMED_OUT, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class),
            ERROR, EnumSet.noneOf(JobState.class));

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public boolean canTransitionTo(JobState target) {
        return TRANSITIONS.get(this).contains(target);
    }
}
