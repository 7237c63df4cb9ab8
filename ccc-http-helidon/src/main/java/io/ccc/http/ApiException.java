package io.ccc.http;

import io.ccc.CccException;
import java.util.List;

/** A request the API refuses, with the HTTP status to answer and the problems to list. */
final class ApiException extends CccException {
    private final int status;
    private final List<String> details;

    ApiException(int status, String code, String message, List<String> details) {
        super(code, message, false);
        this.status = status;
        this.details = List.copyOf(details);
    }

    ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    int status() {
        return status;
    }

    List<String> details() {
        return details;
    }

    static ApiException badRequest(String message, List<String> details) {
        return new ApiException(400, "BAD_REQUEST", message, details);
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "request body larger than " + limit + " bytes");
    }
}
