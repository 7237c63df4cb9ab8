package io.ccc;

/**
 * Root of every exception ccc throws. Unchecked; {@link #retryable()} tells the worker engine whether
 * the failure is transient (worth another attempt) or final.
 */
public class CccException extends RuntimeException {
    private final String code;
    private final boolean retryable;

    public CccException(String code, String message, boolean retryable) {
        this(code, message, retryable, null);
    }

    public CccException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** A stable, machine-readable code such as {@code IMAGE_NOT_FOUND}; recorded in a job's error. */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
