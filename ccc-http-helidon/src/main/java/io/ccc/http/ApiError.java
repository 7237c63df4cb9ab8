package io.ccc.http;

import java.util.List;

/** The one shape of every error the API answers: a stable code, a message, and the problems in detail. */
public record ApiError(String code, String message, List<String> details) {
    public ApiError {
        details = details == null ? List.of() : List.copyOf(details);
    }
}
