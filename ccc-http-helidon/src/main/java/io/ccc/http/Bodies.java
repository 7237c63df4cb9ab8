package io.ccc.http;

import io.ccc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Request bodies read under a size limit enforced while streaming, and JSON answers. */
final class Bodies {
    private Bodies() {
    }

    /** The media type of the request, lower case, without parameters ("" if none). */
    static String mediaType(ServerRequest req) {
        String ct = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    static void requireMediaType(ServerRequest req, String... allowed) {
        String type = mediaType(req);
        for (String a : allowed) {
            if (a.equals(type)) {
                return;
            }
        }
        throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be " + String.join(" or ", allowed)
                + (type.isEmpty() ? ", got none" : ", got " + type));
    }

    /** The body as a stream that fails with 413 once more than {@code limit} bytes arrive (checked up front too). */
    static InputStream limited(ServerRequest req, long limit) {
        req.headers().first(HeaderNames.CONTENT_LENGTH).ifPresent(len -> {
            try {
                if (Long.parseLong(len.trim()) > limit) {
                    throw ApiException.tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("bad Content-Length", java.util.List.of(len));
            }
        });
        return new Limited(req.content().inputStream(), limit);
    }

    static <T> T readJson(ServerRequest req, long limit, Class<T> type) {
        requireMediaType(req, "application/json");
        try (InputStream in = limited(req, limit)) {
            return parseJson(in, type);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage(), java.util.List.of());
        }
    }

    /**
     * Reads JSON of {@code type} from a body or a body part: a spec's validation problems come out as they are,
     * a size overrun as 413, anything else Jackson rejects as a 400 naming where and what.
     */
    static <T> T parseJson(InputStream in, Class<T> type) {
        try {
            T value = Json.mapper().readValue(in, type);
            if (value == null) {
                throw ApiException.badRequest("the request body is empty", java.util.List.of());
            }
            return value;
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new java.io.UncheckedIOException(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // a size overrun surfaces from inside Jackson's read
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ApiException a) {
                    throw a;
                }
            }
            if (e.getCause() instanceof io.ccc.CccException c) {
                throw c;
            }
            throw new ApiException(400, "INVALID_JSON", "the request body is not valid JSON for this resource", java.util.List.of(Errors.describe(e)));
        } catch (IOException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            throw ApiException.badRequest("could not read the request body: " + e.getMessage(), java.util.List.of());
        }
    }

    static void json(ServerResponse res, int status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.writeBytes(body));
    }

    /** Counts bytes; past the limit, reading fails with {@link ApiException#tooLarge}. */
    static final class Limited extends FilterInputStream {
        private final long limit;
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw ApiException.tooLarge(limit);
            }
        }
    }
}
