package io.ccc;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** When a phase started and (once done) ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Span(Instant start, Instant end) {
    public Span {
        Objects.requireNonNull(start, "start");
    }

    public Span endAt(Instant time) {
        return new Span(start, time);
    }

    @JsonIgnore
    public Duration duration() {
        return end == null ? Duration.ZERO : Duration.between(start, end);
    }
}
