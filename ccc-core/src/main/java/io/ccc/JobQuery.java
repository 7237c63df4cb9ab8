package io.ccc;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A filter for listing jobs, newest first. Empty sets/maps and nulls mean "any".
 *
 * @param labels   every entry must match
 * @param since    only jobs created at or after this time
 * @param limit    page size, 1..1000
 * @param pageToken where the previous page ended ({@link Page#nextPageToken()})
 */
public record JobQuery(Set<JobState> states, JobKind kind, Map<String, String> labels, Instant since, int limit, String pageToken) {
    public static final int MAX_LIMIT = 1000;

    public JobQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidJobSpecException(java.util.List.of("limit: must be between 1 and " + MAX_LIMIT + ", got " + limit));
        }
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, 100, null);
    }

    public JobQuery withStates(Set<JobState> states) { return new JobQuery(states, kind, labels, since, limit, pageToken); }
    public JobQuery withKind(JobKind kind) { return new JobQuery(states, kind, labels, since, limit, pageToken); }
    public JobQuery withLabels(Map<String, String> labels) { return new JobQuery(states, kind, labels, since, limit, pageToken); }
    public JobQuery withSince(Instant since) { return new JobQuery(states, kind, labels, since, limit, pageToken); }
    public JobQuery withLimit(int limit) { return new JobQuery(states, kind, labels, since, limit, pageToken); }
    public JobQuery withPageToken(String token) { return new JobQuery(states, kind, labels, since, limit, token); }

    /** Whether {@code job} passes the filters (not the page position). */
    public boolean matches(Job job) {
        if (!states.isEmpty() && !states.contains(job.state())) {
            return false;
        }
        if (kind != null && job.kind() != kind) {
            return false;
        }
        if (since != null && job.createdAt().isBefore(since)) {
            return false;
        }
        for (var e : labels.entrySet()) {
            if (!e.getValue().equals(job.spec().labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
