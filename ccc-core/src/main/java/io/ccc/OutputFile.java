package io.ccc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A file a job produced (or its stdout/stderr). STANDARD jobs: {@code key} locates it in Storage.
 * FAST jobs: {@code data} holds the bytes inline (base64 in JSON); {@code truncated} when a log was capped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputFile(String path, long size, String key, byte[] data,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean truncated) {
    public OutputFile {
        Objects.requireNonNull(path, "path");
    }

    public static OutputFile stored(String path, long size, String key) {
        return new OutputFile(path, size, key, null, false);
    }

    public static OutputFile inline(String path, byte[] data, boolean truncated) {
        return new OutputFile(path, data.length, null, data, truncated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputFile f && path.equals(f.path) && size == f.size && truncated == f.truncated
                && Objects.equals(key, f.key) && java.util.Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, key, java.util.Arrays.hashCode(data), truncated);
    }

    @Override
    public String toString() {
        return "OutputFile[" + path + ", " + size + " bytes" + (key != null ? ", key=" + key : ", inline") + "]";
    }
}
