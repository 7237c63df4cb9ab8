package io.ccc.spi;

/** No object under this storage key. */
public final class KeyNotFoundException extends StorageException {
    private final String key;

    public KeyNotFoundException(String key) {
        super("KEY_NOT_FOUND", "no object at key " + key, false, null);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
