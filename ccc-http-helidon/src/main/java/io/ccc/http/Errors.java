package io.ccc.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.ccc.CccException;
import io.ccc.IllegalTransitionException;
import io.ccc.InvalidJobSpecException;
import io.ccc.JobNotFoundException;
import io.ccc.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a status and the {@link ApiError} body, in one place. Never a stack trace to the client. */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, (req, res, t) -> send(res, t));
    }

    static void send(ServerResponse res, Throwable t) {
        if (res.isSent()) {
            LOG.debug("error after the response was sent: {}", t.toString());
            return;
        }
        Throwable e = unwrap(t);
        int status;
        ApiError body;
        if (e instanceof ApiException a) {
            status = a.status();
            body = new ApiError(a.code(), a.getMessage(), a.details());
        } else if (e instanceof InvalidJobSpecException v) {
            status = 400;
            body = new ApiError(v.code(), "the job spec is invalid", v.problems());
        } else if (e instanceof JobNotFoundException n) {
            status = 404;
            body = new ApiError(n.code(), n.getMessage(), List.of());
        } else if (e instanceof IllegalTransitionException i) {
            status = 409;
            body = new ApiError(i.code(), i.getMessage(), List.of());
        } else if (e instanceof JsonProcessingException j) {
            status = 400;
            body = new ApiError("INVALID_JSON", "the request body is not valid JSON for this resource", List.of(describe(j)));
        } else if (e instanceof CccException c) {
            status = statusOf(c);
            String message = status >= 500 && status != 503 ? "internal error" : c.getMessage();
            body = new ApiError(c.code(), message, List.of());
            if (status >= 500) {
                LOG.warn("{} answered {}: {}", c.code(), status, c.getMessage());
            }
        } else {
            String ref = UUID.randomUUID().toString();
            LOG.error("unexpected error (ref {})", ref, e);
            status = 500;
            body = new ApiError("INTERNAL", "internal error (ref " + ref + ")", List.of());
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.writeBytes(body));
    }

    private static int statusOf(CccException c) {
        return switch (c.code()) {
            case "INVALID_JSON", "INVALID_KEY", "INVALID_JOB_SPEC" -> 400;
            case "OUTPUT_NOT_FOUND", "KEY_NOT_FOUND", "JOB_NOT_FOUND" -> 404;
            case "CONCURRENT_UPDATE", "JOB_EXISTS", "ILLEGAL_TRANSITION" -> 409;
            default -> c.retryable() ? 503 : 500; // a backend that is down (Redis, S3, engine) is worth another try
        };
    }

    /** "resources.cpus: Cannot deserialize ..." from Jackson's path and its own message. */
    static String describe(JsonProcessingException j) {
        String where = j instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        String what = j.getOriginalMessage();
        int nl = what.indexOf('\n');
        what = nl < 0 ? what : what.substring(0, nl);
        String at = j.getLocation() != null ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")" : "";
        return (where.isEmpty() ? "" : where + ": ") + what + at;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (!(e instanceof CccException) && !(e instanceof JsonProcessingException) && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e instanceof CccException || e instanceof JsonProcessingException ? e : t;
    }
}
