package io.ccc.http;

import io.ccc.Ccc;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health/live} (the process answers) and {@code /health/ready} (every backend answers; 503 otherwise). */
final class Health implements HttpService {
    private final Ccc ccc;

    Health(Ccc ccc) {
        this.ccc = ccc;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (req, res) -> Bodies.json(res, 200, Map.of("status", "UP")))
                .get("/ready", this::ready);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean up = check(checks, "queue", () -> ccc.queue().stats());
        up &= check(checks, "store", () -> ccc.jobStore().stats());
        up &= check(checks, "storage", () -> ccc.storage().stat("health/ready-probe"));
        if (ccc.worker().isPresent()) {
            var w = ccc.worker().get();
            checks.put("worker", w.healthy() ? "UP" : "DOWN: " + w.healthReason());
            up &= w.healthy();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        Bodies.json(res, up ? 200 : 503, body);
    }

    private static boolean check(Map<String, String> checks, String name, Runnable probe) {
        try {
            probe.run();
            checks.put(name, "UP");
            return true;
        } catch (RuntimeException e) {
            checks.put(name, "DOWN: " + e.getMessage());
            return false;
        }
    }
}
