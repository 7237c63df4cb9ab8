package io.ccc.embedded;

import io.ccc.spi.KeyNotFoundException;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageException;
import io.ccc.spi.StorageKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Objects as files under a root folder. Keys are checked by {@link StorageKeys} and resolved paths must stay
 * under the root; symlinks are never followed. A put writes a temporary file and renames it into place, so
 * a reader sees the whole old object or the whole new one, never a part.
 */
public final class LocalStorage implements Storage {
    private static final String TMP = ".tmp";
    private final Path root;

    public LocalStorage(Path root) {
        try {
            this.root = Files.createDirectories(root).toRealPath();
            Files.createDirectories(this.root.resolve(TMP));
        } catch (IOException e) {
            throw new StorageException("cannot use storage folder " + root + ": " + e.getMessage(), false, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public long put(String key, InputStream data, long length) {
        Path target = path(key);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            checkNoLinks(target.getParent());
            tmp = Files.createTempFile(root.resolve(TMP), "put-", ".part");
            long written;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                written = data.transferTo(out);
            }
            if (length >= 0 && written != length) {
                throw new StorageException("put " + key + ": expected " + length + " bytes, got " + written, true, null);
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException("put " + key + ": a folder of keys exists at this key", false, null);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return written;
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("put " + key + ": a key is a prefix of another key", false, e);
        } catch (IOException e) {
            throw new StorageException("put " + key + ": " + e.getMessage(), true, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless and under .tmp
                }
            }
        }
    }

    @Override
    public InputStream get(String key) {
        Path file = path(key);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new KeyNotFoundException(key);
            }
            checkNoLinks(file.getParent());
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new KeyNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("get " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public Optional<StorageObject> stat(String key) {
        Path file = path(key);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? Optional.of(new StorageObject(key, a.size(), a.lastModifiedTime().toInstant())) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("stat " + key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public List<StorageObject> list(String prefix) {
        StorageKeys.checkPrefix(prefix);
        // walk only the deepest folder the prefix names, not the whole store
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<StorageObject> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(start)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !key.startsWith(TMP + "/")) {
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        found.add(new StorageObject(key, a.size(), a.lastModifiedTime().toInstant()));
                    } catch (IOException ignored) {
                        // deleted while listing
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new StorageException("list " + prefix + ": " + e.getMessage(), true, e);
        }
        found.sort(Comparator.comparing(StorageObject::key));
        return found;
    }

    @Override
    public int deleteByPrefix(String prefix) {
        int deleted = 0;
        for (StorageObject o : list(prefix)) {
            try {
                if (Files.deleteIfExists(path(o.key()))) {
                    deleted++;
                }
                pruneEmptyParents(path(o.key()).getParent());
            } catch (IOException e) {
                throw new StorageException("delete " + o.key() + ": " + e.getMessage(), true, e);
            }
        }
        return deleted;
    }

    @Override
    public Optional<URI> url(String key, Duration lifetime) {
        return Optional.empty(); // files are served by whoever embeds this (the HTTP server)
    }

    @Override
    public void close() {
        // nothing held open
    }

    private Path path(String key) {
        StorageKeys.check(key);
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root) || p.startsWith(root.resolve(TMP))) {
            throw new StorageException("INVALID_KEY", "key escapes the storage root: " + key, false, null);
        }
        return p;
    }

    /** A symlinked folder inside the root could point anywhere; refuse to go through one. */
    private void checkNoLinks(Path dir) throws IOException {
        for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new StorageException("INVALID_KEY", "storage path goes through a symlink: " + root.relativize(p), false, null);
            }
        }
    }

    private void pruneEmptyParents(Path dir) {
        for (Path p = dir; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return; // not empty (or gone): stop
            }
        }
    }
}
