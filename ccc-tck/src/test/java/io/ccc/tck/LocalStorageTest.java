package io.ccc.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.embedded.LocalStorage;
import io.ccc.spi.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalStorageTest extends StorageContract {
    private Path root;

    @Override
    protected Storage createStorage() {
        try {
            root = Files.createTempDirectory("ccc-local-storage");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalStorage(root);
    }

    @Test
    void aSymlinkedFolderInsideTheRootIsNotFollowed() throws Exception {
        Path outside = Files.createTempDirectory("ccc-outside");
        Files.writeString(outside.resolve("secret"), "s3cret");
        Files.createDirectories(root.resolve(base));
        Files.createSymbolicLink(root.resolve(base + "link"), outside);
        assertThatThrownBy(() -> storage.get(base + "link/secret")).isInstanceOf(CccException.class);
        assertThatThrownBy(() -> storage.put(base + "link/new", new ByteArrayInputStream(new byte[] {1}), 1))
                .isInstanceOf(CccException.class);
        assertThat(outside.resolve("new")).doesNotExist();
        assertThat(storage.list(base)).isEmpty();
    }
}
