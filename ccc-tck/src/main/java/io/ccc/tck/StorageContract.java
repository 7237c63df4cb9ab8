package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.spi.KeyNotFoundException;
import io.ccc.spi.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract of {@link Storage}. Every test works under its own random prefix. */
@Timeout(120)
public abstract class StorageContract {
    protected Storage storage;
    protected final String base = "tck/" + UUID.randomUUID() + "/";

    protected abstract Storage createStorage();

    @BeforeEach
    void openStorage() {
        storage = createStorage();
    }

    @AfterEach
    void closeStorage() {
        try {
            storage.deleteByPrefix(base);
        } finally {
            storage.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] read(String key) throws IOException {
        try (InputStream in = storage.get(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void putThenGetIsByteExact() throws Exception {
        byte[] data = random(100_000, 1);
        assertThat(storage.put(base + "a/b/c.bin", new ByteArrayInputStream(data), data.length)).isEqualTo(data.length);
        assertThat(read(base + "a/b/c.bin")).isEqualTo(data);
    }

    @Test
    void emptyObject() throws Exception {
        storage.put(base + "empty", InputStream.nullInputStream(), 0);
        assertThat(read(base + "empty")).isEmpty();
        assertThat(storage.stat(base + "empty")).hasValueSatisfying(o -> assertThat(o.size()).isZero());
    }

    @Test
    void unknownLengthStreamsOfSeveralMegabytes() throws Exception {
        byte[] data = random(12 * 1024 * 1024 + 17, 2);
        assertThat(storage.put(base + "big.bin", new ByteArrayInputStream(data), -1)).isEqualTo(data.length);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        expected.update(data);
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        try (InputStream in = storage.get(base + "big.bin")) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                actual.update(buf, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(actual.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(storage.stat(base + "big.bin")).hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(data.length));
    }

    @Test
    void putReplaces() throws Exception {
        storage.put(base + "k", new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
        storage.put(base + "k", new ByteArrayInputStream(new byte[] {9}), 1);
        assertThat(read(base + "k")).containsExactly(9);
    }

    @Test
    void aShortStreamIsRefusedAndLeavesNothing() {
        assertThatThrownBy(() -> storage.put(base + "short", new ByteArrayInputStream(new byte[10]), 20))
                .isInstanceOf(CccException.class);
        assertThat(storage.stat(base + "short")).isEmpty();
    }

    @Test
    void aFailingStreamLeavesNothing() {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 70_000) {
                    throw new IOException("source broke");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> storage.put(base + "broken", failing, -1)).isInstanceOf(CccException.class);
        assertThat(storage.stat(base + "broken")).isEmpty();
    }

    @Test
    void getOfMissingKeyFails() {
        assertThatThrownBy(() -> storage.get(base + "nope")).isInstanceOf(KeyNotFoundException.class);
        assertThat(storage.stat(base + "nope")).isEmpty();
    }

    @Test
    void listByPrefixInKeyOrder() {
        for (String k : new String[] {"x/2", "x/1", "x/sub/3", "xy/4", "z"}) {
            storage.put(base + k, new ByteArrayInputStream(new byte[] {1}), 1);
        }
        assertThat(storage.list(base + "x/")).extracting(Storage.StorageObject::key)
                .containsExactly(base + "x/1", base + "x/2", base + "x/sub/3");
        assertThat(storage.list(base + "x")).extracting(Storage.StorageObject::key)
                .containsExactly(base + "x/1", base + "x/2", base + "x/sub/3", base + "xy/4");
        assertThat(storage.list(base + "nothing/")).isEmpty();
    }

    @Test
    void deleteByPrefixDeletesOnlyUnderIt() {
        for (String k : new String[] {"d/1", "d/e/2", "dd/3"}) {
            storage.put(base + k, new ByteArrayInputStream(new byte[] {1}), 1);
        }
        assertThat(storage.deleteByPrefix(base + "d/")).isEqualTo(2);
        assertThat(storage.list(base)).extracting(Storage.StorageObject::key).containsExactly(base + "dd/3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "a/../../escape", "/abs", "a//b", "a/./b", "a\\b", "nul\u0000x", "trailing/"})
    void hostileKeysAreRefused(String suffix) {
        String key = suffix.startsWith("/") || suffix.startsWith("..") ? suffix : base + suffix;
        assertThatThrownBy(() -> storage.put(key, new ByteArrayInputStream(new byte[] {1}), 1)).isInstanceOf(CccException.class);
        assertThatThrownBy(() -> storage.get(key)).isInstanceOf(CccException.class);
    }
}
