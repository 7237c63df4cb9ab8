package io.ccc.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Just enough tar (POSIX ustar + pax headers) to move files in and out of containers as streams.
 * Writing is pull-based: {@link #stream(List)} returns an InputStream that opens each file's content
 * only when the reader gets to it, so nothing is buffered whole.
 */
public final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    /** A file or folder to write. {@code content} is opened lazily and must yield exactly {@code size} bytes. */
    public record Entry(String name, boolean directory, long size, int mode, Supplier<InputStream> content) {
        public static Entry directory(String name) {
            return new Entry(name.endsWith("/") ? name : name + "/", true, 0, 0777, () -> InputStream.nullInputStream());
        }

        public static Entry file(String name, long size, Supplier<InputStream> content) {
            return new Entry(name, false, size, 0644, content);
        }

        public static Entry file(String name, byte[] data) {
            return file(name, data.length, () -> new ByteArrayInputStream(data));
        }
    }

    /** A tar archive of the entries, produced as it is read. */
    public static InputStream stream(List<Entry> entries) {
        Iterator<Entry> it = entries.iterator();
        Iterator<Supplier<InputStream>> lazy = new Iterator<>() {
            private final java.util.ArrayDeque<Supplier<InputStream>> pending = new java.util.ArrayDeque<>();
            private boolean ended;

            @Override
            public boolean hasNext() {
                fill();
                return !pending.isEmpty();
            }

            @Override
            public Supplier<InputStream> next() {
                fill();
                return pending.poll();
            }

            private void fill() {
                if (!pending.isEmpty() || ended) {
                    return;
                }
                if (it.hasNext()) {
                    Entry e = it.next();
                    byte[] header = header(e);
                    pending.add(() -> new ByteArrayInputStream(header));
                    if (!e.directory && e.size > 0) {
                        pending.add(() -> new ExactLengthStream(e.content.get(), e.size, e.name));
                        int pad = (int) ((BLOCK - e.size % BLOCK) % BLOCK);
                        if (pad > 0) {
                            pending.add(() -> new ByteArrayInputStream(new byte[pad]));
                        }
                    }
                } else {
                    ended = true;
                    pending.add(() -> new ByteArrayInputStream(new byte[BLOCK * 2]));
                }
            }
        };
        return new SequenceInputStream(new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return lazy.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return lazy.next().get();
            }
        });
    }

    private static byte[] header(Entry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = e.name;
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean needsPax = nameBytes.length > 100 || e.size > 077777777777L || !isAscii(name);
        if (needsPax) {
            StringBuilder pax = new StringBuilder();
            pax.append(paxRecord("path", name));
            if (e.size > 077777777777L) {
                pax.append(paxRecord("size", Long.toString(e.size)));
            }
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ustar("PaxHeader", body.length, 0644, 'x'));
            out.writeBytes(body);
            out.writeBytes(new byte[(BLOCK - body.length % BLOCK) % BLOCK]);
            name = truncateAscii(name);
        }
        out.writeBytes(ustar(name, e.directory ? 0 : Math.min(e.size, 077777777777L), e.mode, e.directory ? '5' : '0'));
        return out.toByteArray();
    }

    private static String paxRecord(String key, String value) {
        // "<len> key=value\n" where len counts itself
        String body = " " + key + "=" + value + "\n";
        int bodyLen = body.getBytes(StandardCharsets.UTF_8).length;
        int len = bodyLen + String.valueOf(bodyLen).length();
        if (String.valueOf(len).length() != String.valueOf(bodyLen).length()) {
            len++;
        }
        return len + body;
    }

    private static byte[] ustar(String name, long size, int mode, char type) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        putOctal(h, 100, 8, mode);
        putOctal(h, 108, 8, 0);
        putOctal(h, 116, 8, 0);
        putOctal(h, 124, 12, size);
        putOctal(h, 136, 12, System.currentTimeMillis() / 1000);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        putOctal(h, 148, 7, sum);
        return h;
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        System.arraycopy(value, 0, h, off, Math.min(len, value.length));
    }

    private static void putOctal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    private static String truncateAscii(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() == 99) {
                break;
            }
            b.append(c < 0x80 ? c : '_');
        }
        return b.toString();
    }

    /** Fails loudly if a source yields fewer or more bytes than its header announced. */
    private static final class ExactLengthStream extends InputStream {
        private final InputStream in;
        private final String name;
        private long left;

        ExactLengthStream(InputStream in, long size, String name) {
            this.in = in;
            this.left = size;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                in.close();
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                in.close();
                throw new EOFException(name + ": source ended " + left + " bytes early");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Reads a tar stream entry by entry; {@link #content()} is valid until the next {@link #next()}. */
    public static final class Reader implements AutoCloseable {
        public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

        public record Header(String name, Type type, long size, String linkName) {
        }

        private final InputStream in;
        private long remaining;
        private long padding;

        public Reader(InputStream in) {
            this.in = in;
        }

        /** The next entry, or null at the end of the archive. */
        public Header next() throws IOException {
            skipCurrent();
            String paxPath = null;
            Long paxSize = null;
            String longName = null;
            while (true) {
                byte[] h = in.readNBytes(BLOCK);
                if (h.length < BLOCK || isZero(h)) {
                    return null;
                }
                char type = (char) h[156];
                long size = parseNumber(h, 124, 12);
                if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
                    byte[] body = readBody(size);
                    if (type == 'x') {
                        for (String[] kv : paxRecords(body)) {
                            if (kv[0].equals("path")) {
                                paxPath = kv[1];
                            } else if (kv[0].equals("size")) {
                                paxSize = Long.parseLong(kv[1]);
                            }
                        }
                    } else if (type == 'L') {
                        longName = cString(body, 0, body.length);
                    }
                    continue;
                }
                String name = paxPath != null ? paxPath : longName != null ? longName : ustarName(h);
                if (paxSize != null) {
                    size = paxSize;
                }
                Type t = switch (type) {
                    case '0', '\0', '7' -> Type.FILE;
                    case '5' -> Type.DIRECTORY;
                    case '2' -> Type.SYMLINK;
                    case '1' -> Type.HARDLINK;
                    default -> Type.OTHER;
                };
                if (t == Type.DIRECTORY || t == Type.SYMLINK || t == Type.HARDLINK) {
                    size = t == Type.DIRECTORY ? size : 0;
                }
                remaining = size;
                padding = (BLOCK - size % BLOCK) % BLOCK;
                return new Header(name, t, size, cString(h, 157, 100));
            }
        }

        /** The current entry's bytes. */
        public InputStream content() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (remaining == 0) {
                        return -1;
                    }
                    int n = in.read(b, off, (int) Math.min(len, remaining));
                    if (n < 0) {
                        throw new EOFException("tar entry truncated");
                    }
                    remaining -= n;
                    return n;
                }

                @Override
                public void close() {
                    // the archive stream stays open for the next entry
                }
            };
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private void skipCurrent() throws IOException {
            long skip = remaining + padding;
            while (skip > 0) {
                long n = in.skip(skip);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("tar archive truncated");
                    }
                    n = 1;
                }
                skip -= n;
            }
            remaining = 0;
            padding = 0;
        }

        private byte[] readBody(long size) throws IOException {
            if (size > 1 << 20) {
                throw new IOException("tar extended header too large: " + size);
            }
            byte[] body = in.readNBytes((int) size);
            in.readNBytes((int) ((BLOCK - size % BLOCK) % BLOCK));
            return body;
        }

        private static List<String[]> paxRecords(byte[] body) {
            List<String[]> records = new ArrayList<>();
            int pos = 0;
            while (pos < body.length) {
                int space = pos;
                while (space < body.length && body[space] != ' ') {
                    space++;
                }
                if (space >= body.length) {
                    break;
                }
                int len = Integer.parseInt(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
                if (len <= 0 || pos + len > body.length) {
                    break;
                }
                String record = new String(body, space + 1, len - (space - pos) - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq > 0) {
                    records.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
                }
                pos += len;
            }
            return records;
        }

        private static String ustarName(byte[] h) {
            String name = cString(h, 0, 100);
            boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
            String prefix = ustar ? cString(h, 345, 155) : "";
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        private static String cString(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) {
                end++;
            }
            return new String(b, off, end - off, StandardCharsets.UTF_8);
        }

        private static long parseNumber(byte[] h, int off, int len) throws IOException {
            if ((h[off] & 0x80) != 0) { // base-256, for sizes over 8 GiB
                long v = h[off] & 0x7f;
                for (int i = off + 1; i < off + len; i++) {
                    v = (v << 8) | (h[i] & 0xff);
                }
                return v;
            }
            String s = cString(h, off, len).trim();
            try {
                return s.isEmpty() ? 0 : Long.parseLong(s, 8);
            } catch (NumberFormatException e) {
                throw new IOException("bad tar number: '" + s + "'");
            }
        }

        private static boolean isZero(byte[] h) {
            for (byte b : h) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
