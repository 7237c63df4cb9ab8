package io.ccc.spi;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Blob storage for STANDARD jobs' inputs and outputs. Streams both ways: no whole file is held in memory.
 * Keys are checked with {@link StorageKeys}; an object is either fully written or absent.
 */
public interface Storage extends AutoCloseable {

    /**
     * Writes {@code data} under {@code key}, replacing what was there.
     *
     * @param length the byte count if known, or -1
     * @return the bytes written
     */
    long put(String key, InputStream data, long length);

    /** Opens the object for reading; the caller closes the stream. {@link KeyNotFoundException} if absent. */
    InputStream get(String key);

    Optional<StorageObject> stat(String key);

    /** Objects whose key starts with {@code prefix}, in key order. */
    List<StorageObject> list(String prefix);

    /** Deletes every object whose key starts with {@code prefix}; returns how many. */
    int deleteByPrefix(String prefix);

    /** A URL a client can fetch the object from directly (presigned for S3); empty when the backend has none. */
    Optional<URI> url(String key, Duration lifetime);

    @Override
    void close();

    record StorageObject(String key, long size, java.time.Instant lastModified) {
    }
}
