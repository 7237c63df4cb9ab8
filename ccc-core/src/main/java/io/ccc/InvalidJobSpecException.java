package io.ccc;

import java.util.List;

/** A job spec (or request) failed validation; {@link #problems()} names every problem found in one pass. */
public final class InvalidJobSpecException extends CccException {
    private final List<String> problems;

    public InvalidJobSpecException(List<String> problems) {
        super("INVALID_JOB_SPEC", "invalid job spec: " + String.join("; ", problems), false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
