package io.ccc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A job as the job store holds it. Immutable: changes are made with {@link #toBuilder()} and written with a
 * compare-and-set on {@code version}. {@code attempt} is the fencing token of the lease that runs (or ran) it.
 *
 * @param phases per-phase start/end of the current attempt
 * @param stdout location (STANDARD) or bytes (FAST) of the container's stdout, once known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        JobId id,
        JobSpec spec,
        JobState state,
        Phase phase,
        int attempt,
        String workerId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Map<Phase, Span> phases,
        Integer exitCode,
        JobError error,
        List<OutputFile> outputs,
        OutputFile stdout,
        OutputFile stderr,
        long version) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        phases = phases == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(phases));
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A new QUEUED job, version 0 (the store assigns 1 on create). */
    public static Job queued(JobId id, JobSpec spec, Instant now) {
        return new Job(id, spec, JobState.QUEUED, null, 0, null, now, now, null, null, null, null, null, null, null, null, 0);
    }

    /** The same job with another version; only job stores call this. */
    public Job withVersion(long newVersion) {
        return new Job(id, spec, state, phase, attempt, workerId, createdAt, updatedAt, startedAt, finishedAt, phases, exitCode,
                error, outputs, stdout, stderr, newVersion);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @JsonIgnore
    public boolean isTerminal() {
        return state.isTerminal();
    }

    @JsonIgnore
    public JobKind kind() {
        return spec.kind();
    }

    /** The output with this path, if the job produced it. */
    public Optional<OutputFile> output(String path) {
        return outputs.stream().filter(o -> o.path().equals(path)).findFirst();
    }

    /** Time spent in the queue before the current attempt started (or until now if still queued). */
    @JsonIgnore
    public Duration queueWait() {
        return Duration.between(createdAt, startedAt != null ? startedAt : Instant.now());
    }

    /** Per-phase durations of the current attempt, in phase order. */
    @JsonIgnore
    public Map<Phase, Duration> phaseDurations() {
        Map<Phase, Duration> durations = new EnumMap<>(Phase.class);
        phases.forEach((p, s) -> durations.put(p, s.duration()));
        return durations;
    }

    /** Builder for updates; {@link #state(JobState)} checks the transition table. */
    public static final class Builder {
        private final Job from;
        private JobState state;
        private Phase phase;
        private int attempt;
        private String workerId;
        private Instant updatedAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Map<Phase, Span> phases;
        private Integer exitCode;
        private JobError error;
        private List<OutputFile> outputs;
        private OutputFile stdout;
        private OutputFile stderr;
        private JobSpec spec;

        private Builder(Job job) {
            from = job;
            spec = job.spec;
            state = job.state;
            phase = job.phase;
            attempt = job.attempt;
            workerId = job.workerId;
            updatedAt = job.updatedAt;
            startedAt = job.startedAt;
            finishedAt = job.finishedAt;
            phases = new TreeMap<>(job.phases);
            exitCode = job.exitCode;
            error = job.error;
            outputs = job.outputs;
            stdout = job.stdout;
            stderr = job.stderr;
        }

        public Builder state(JobState next) {
            if (!state.canTransitionTo(next)) {
                throw new IllegalTransitionException(from.id, state, next);
            }
            state = next;
            return this;
        }

        public Builder spec(JobSpec spec) { this.spec = spec; return this; }
        public Builder phase(Phase phase) { this.phase = phase; return this; }
        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder workerId(String workerId) { this.workerId = workerId; return this; }
        public Builder updatedAt(Instant at) { this.updatedAt = at; return this; }
        public Builder startedAt(Instant at) { this.startedAt = at; return this; }
        public Builder finishedAt(Instant at) { this.finishedAt = at; return this; }
        public Builder exitCode(Integer exitCode) { this.exitCode = exitCode; return this; }
        public Builder error(JobError error) { this.error = error; return this; }
        public Builder outputs(List<OutputFile> outputs) { this.outputs = outputs; return this; }
        public Builder stdout(OutputFile stdout) { this.stdout = stdout; return this; }
        public Builder stderr(OutputFile stderr) { this.stderr = stderr; return this; }

        public Builder clearPhases() {
            phases.clear();
            return this;
        }

        /** Ends the open phase (if any) and starts {@code next} at {@code now}. */
        public Builder enterPhase(Phase next, Instant now) {
            endPhase(now);
            phase = next;
            phases.put(next, new Span(now, null));
            return this;
        }

        public Builder endPhase(Instant now) {
            if (phase != null && phases.containsKey(phase) && phases.get(phase).end() == null) {
                phases.put(phase, phases.get(phase).endAt(now));
            }
            return this;
        }

        public Job build() {
            return new Job(from.id, spec, state, phase, attempt, workerId, from.createdAt, updatedAt, startedAt, finishedAt,
                    phases, exitCode, error, outputs, stdout, stderr, from.version);
        }
    }
}
