package io.ccc.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming multipart/form-data reader: parts come one at a time, each body a stream that ends at the next
 * boundary, so a file part can go straight to storage without being held in memory.
 */
final class Multipart {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern PARAM = Pattern.compile(";\\s*([A-Za-z*]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");

    record Part(String name, String filename, String contentType, InputStream body) {
    }

    private final InputStream in;
    private final byte[] delimiter; // "\r\n--boundary"
    private Body current;
    private boolean finished;

    Multipart(InputStream in, String boundary) {
        // the first boundary has no CRLF before it: pretend it had one
        this.in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {'\r', '\n'}), new BufferedInputStream(in, 65536));
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    static String boundary(String contentType) {
        Matcher m = PARAM.matcher(contentType);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase("boundary")) {
                String b = m.group(2) != null ? m.group(2) : m.group(3);
                if (b != null && !b.isEmpty() && b.length() <= 70) {
                    return b;
                }
            }
        }
        throw ApiException.badRequest("multipart/form-data without a valid boundary", List.of(contentType));
    }

    /** The next part, or null after the last one. The previous part's body is skipped if unread. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            current = new Body(); // the preamble, up to the first boundary
        }
        current.transferTo(java.io.OutputStream.nullOutputStream());
        // after a delimiter: "--" ends the message, CRLF starts a part
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') {
            finished = true;
            return null;
        }
        if (a != '\r' || b != '\n') {
            throw ApiException.badRequest("malformed multipart body (no CRLF after a boundary)", List.of());
        }
        String name = null;
        String filename = null;
        String contentType = "application/octet-stream";
        int headerBytes = 0;
        while (true) {
            String line = readLine();
            headerBytes += line.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw ApiException.badRequest("multipart part headers larger than " + MAX_HEADER_BYTES + " bytes", List.of());
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("malformed multipart part header", List.of(line));
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                Matcher m = PARAM.matcher(value);
                while (m.find()) {
                    String v = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                    switch (m.group(1).toLowerCase(Locale.ROOT)) {
                        case "name" -> name = v;
                        case "filename" -> filename = v;
                        default -> { }
                    }
                }
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw ApiException.badRequest("a multipart part has no name (Content-Disposition: form-data; name=...)", List.of());
        }
        current = new Body();
        return new Part(name, filename, contentType, current);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw ApiException.badRequest("multipart body ended inside part headers", List.of());
            }
            if (c == '\r') {
                int n = in.read();
                if (n == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(c);
                if (n < 0) {
                    throw ApiException.badRequest("multipart body ended inside part headers", List.of());
                }
                line.write(n);
            } else {
                line.write(c);
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw ApiException.badRequest("multipart part header line too long", List.of());
            }
        }
    }

    /**
     * A part's body: the bytes up to the next delimiter, found with a rolling (KMP) match. Bytes that might
     * start the delimiter are held back; they are always a prefix of it, so only their count is kept.
     */
    private final class Body extends InputStream {
        private final int[] fail = failure(delimiter);
        private final byte[] ready = new byte[delimiter.length + 1];
        private int readyStart;
        private int readyEnd;
        private int matched;
        private boolean ended;

        /** Reads input until some data is ready or the delimiter is complete. */
        private void step() throws IOException {
            while (readyStart == readyEnd && !ended) {
                int c = in.read();
                if (c < 0) {
                    throw ApiException.badRequest("multipart body ended before its closing boundary", List.of());
                }
                int k = matched;
                while (k > 0 && (delimiter[k] & 0xff) != c) {
                    k = fail[k - 1];
                }
                if ((delimiter[k] & 0xff) == c) {
                    k++;
                }
                if (k == delimiter.length) {
                    ended = true;
                    return;
                }
                // of the held-back prefix plus c, all but the new match's k bytes are data
                int release = matched + 1 - k;
                readyStart = 0;
                readyEnd = 0;
                for (int i = 0; i < release; i++) {
                    ready[readyEnd++] = i < matched ? delimiter[i] : (byte) c;
                }
                matched = k;
            }
        }

        @Override
        public int read() throws IOException {
            step();
            return readyStart < readyEnd ? ready[readyStart++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                if (readyStart == readyEnd && n > 0 && in.available() == 0) {
                    break; // return what we have rather than block
                }
                step();
                if (readyStart == readyEnd) {
                    break; // ended
                }
                int take = Math.min(len - n, readyEnd - readyStart);
                System.arraycopy(ready, readyStart, b, off + n, take);
                readyStart += take;
                n += take;
            }
            return n == 0 ? -1 : n;
        }
    }

    private static int[] failure(byte[] pattern) {
        int[] f = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = f[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}
