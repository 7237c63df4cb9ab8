package io.ccc.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ccc.Ccc;
import io.ccc.Job;
import io.ccc.JobEvent;
import io.ccc.JobId;
import io.ccc.Json;
import io.ccc.spi.JobStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job events to clients: Server-Sent Events (one job, or all) and a WebSocket to subscribe to jobs. A new
 * per-job subscriber first gets the job's current state, so nothing that happened before it connected is
 * missed; {@code Last-Event-ID} (the job version) skips what the client already has.
 */
final class EventStreams {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Ccc ccc;

    EventStreams(Ccc ccc) {
        this.ccc = ccc;
    }

    /** {@code GET /jobs/{id}/events}: the job's changes in order; the stream ends when the job does. */
    void jobEvents(ServerRequest req, ServerResponse res) {
        JobId id = JobsApi.id(req);
        long after = req.headers().first(HeaderNames.create("Last-Event-ID")).map(EventStreams::version).orElse(0L);
        BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>();
        try (JobStore.Subscription ignored = ccc.subscribe(e -> {
            if (e.jobId().equals(id)) {
                queue.add(e);
            }
        })) {
            Job current = ccc.require(id); // after subscribing: nothing falls between the two
            try (SseSink sink = res.sink(SseSink.TYPE)) {
                long sent = after;
                if (current.version() > sent) {
                    emit(sink, JobEvent.of(current));
                    sent = current.version();
                }
                boolean done = current.isTerminal();
                while (!done) {
                    JobEvent e = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                    if (e == null) {
                        sink.emit(SseEvent.builder().comment("keep-alive").build());
                        continue;
                    }
                    if (e.version() > sent) {
                        emit(sink, e);
                        sent = e.version();
                    }
                    done = e.state().isTerminal();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!res.isSent()) {
                throw e;
            }
            LOG.debug("event stream of {} ended: {}", id, e.toString()); // the client went away
        }
    }

    /** {@code GET /events}: every job's changes, until the client goes away. */
    void allEvents(ServerRequest req, ServerResponse res) {
        BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>(100_000);
        try (JobStore.Subscription ignored = ccc.subscribe(queue::offer); SseSink sink = res.sink(SseSink.TYPE)) {
            while (true) {
                JobEvent e = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) {
                    sink.emit(SseEvent.builder().comment("keep-alive").build());
                } else {
                    emit(sink, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("event stream ended: {}", e.toString());
        }
    }

    private static void emit(SseSink sink, JobEvent e) {
        sink.emit(SseEvent.builder().id(String.valueOf(e.version())).name("job").data(Json.write(e)).build());
    }

    private static long version(String lastEventId) {
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * {@code /api/v1/ws}: send {"subscribe":"<job id>"} (or "*" for all jobs), {"unsubscribe":…}; receive
     * {"event":{…}} for each change (the current state first, for a job), or {"error":…} for a bad message.
     */
    WsListener webSocket() {
        return new WsListener() {
            // job id -> version last sent; guarded by the session, like every send
            private final Map<String, Long> jobs = new ConcurrentHashMap<>();
            private volatile JobStore.Subscription subscription;
            private volatile boolean everything;

            @Override
            public void onOpen(WsSession session) {
                subscription = ccc.subscribe(e -> {
                    synchronized (session) {
                        Long last = jobs.get(e.jobId().value());
                        if (last != null ? e.version() > last : everything) {
                            if (last != null) {
                                jobs.put(e.jobId().value(), e.version());
                            }
                            send(session, Map.of("event", e));
                        }
                    }
                });
            }

            @Override
            public void onMessage(WsSession session, String text, boolean last) {
                JsonNode msg;
                try {
                    msg = Json.mapper().readTree(text);
                } catch (Exception e) {
                    send(session, Map.of("error", "not JSON: expected {\"subscribe\": \"<job id>\"}"));
                    return;
                }
                if (msg == null || !msg.isObject()) {
                    send(session, Map.of("error", "expected an object such as {\"subscribe\": \"<job id>\"}"));
                } else if (msg.hasNonNull("subscribe")) {
                    String target = msg.get("subscribe").asText();
                    if (target.equals("*")) {
                        everything = true;
                        send(session, Map.of("subscribed", "*"));
                        return;
                    }
                    synchronized (session) {
                        // the current state first; later events only if newer, so the client sees each change once, in order
                        Optional<Job> job = parse(target).flatMap(ccc::get);
                        if (job.isEmpty()) {
                            send(session, Map.of("error", "no job " + target));
                            return;
                        }
                        jobs.put(target, job.get().version());
                        send(session, Map.of("subscribed", target));
                        send(session, Map.of("event", JobEvent.of(job.get())));
                    }
                } else if (msg.hasNonNull("unsubscribe")) {
                    String target = msg.get("unsubscribe").asText();
                    if (target.equals("*")) {
                        everything = false;
                    }
                    jobs.remove(target);
                    send(session, Map.of("unsubscribed", target));
                } else {
                    send(session, Map.of("error", "unknown message: use subscribe or unsubscribe"));
                }
            }

            @Override
            public void onClose(WsSession session, int status, String reason) {
                close();
            }

            @Override
            public void onError(WsSession session, Throwable t) {
                close();
            }

            private void close() {
                JobStore.Subscription s = subscription;
                if (s != null) {
                    s.close();
                }
            }
        };
    }

    private static Optional<JobId> parse(String id) {
        try {
            return Optional.of(JobId.of(id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void send(WsSession session, Object message) {
        try {
            synchronized (session) {
                session.send(Json.write(message), true);
            }
        } catch (RuntimeException e) {
            LOG.debug("websocket send failed: {}", e.toString());
        }
    }
}
