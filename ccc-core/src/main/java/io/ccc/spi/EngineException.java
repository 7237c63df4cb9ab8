package io.ccc.spi;

import io.ccc.CccException;

/** The container engine failed (unreachable, 5xx, ...). Retryable by default: it is a system failure. */
public class EngineException extends CccException {
    public EngineException(String message, Throwable cause) {
        super("ENGINE_ERROR", message, true, cause);
    }

    public EngineException(String code, String message, boolean retryable, Throwable cause) {
        super(code, message, retryable, cause);
    }
}
