package io.ccc;

import java.util.Objects;

/** Why a job ended in ERROR (or why an attempt was retried): a stable code and a human message. */
public record JobError(String code, String message) {
    public JobError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }

    public static JobError of(CccException e) {
        return new JobError(e.code(), e.getMessage());
    }
}
