package io.ccc.spi;

import io.ccc.CccException;

/** A storage backend failed. Retryable unless the backend says the failure is permanent. */
public class StorageException extends CccException {
    public StorageException(String message, boolean retryable, Throwable cause) {
        super("STORAGE_ERROR", message, retryable, cause);
    }

    public StorageException(String code, String message, boolean retryable, Throwable cause) {
        super(code, message, retryable, cause);
    }
}
