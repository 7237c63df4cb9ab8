package io.ccc.scaler.aws;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small Auto Scaling endpoint in the test JVM speaking the real Query protocol (form-encoded POSTs, XML
 * replies in the 2011-01-01 namespace), for the real SDK client to talk to: the one stand-in the project
 * allows, since the real service cannot run here. It keeps one group and records every call.
 */
final class FakeAutoScaling implements AutoCloseable {
    private static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    final String group;
    int desired;
    int min;
    int max;
    final Map<String, Boolean> instances = new LinkedHashMap<>(); // id -> protected
    final Map<String, String> health = new LinkedHashMap<>();
    final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    volatile String denyAction; // answer this action with AccessDenied
    private final HttpServer server;

    FakeAutoScaling(String group, int min, int max) throws IOException {
        this.group = group;
        this.min = min;
        this.max = max;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            calls.add(form);
            String action = form.getOrDefault("Action", "");
            int status = 200;
            String xml;
            if (!exchange.getRequestHeaders().containsKey("Authorization")) {
                status = 400;
                xml = error("MissingAuthenticationToken", "unsigned request");
            } else if (action.equals(denyAction)) {
                status = 403;
                xml = error("AccessDenied", "User: arn:aws:iam::123456789012:user/ccc is not authorized to perform: autoscaling:" + action);
            } else {
                xml = handle(action, form);
                if (xml == null) {
                    status = 400;
                    xml = error("InvalidAction", "unknown action " + action);
                }
            }
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized String handle(String action, Map<String, String> form) {
        switch (action) {
            case "DescribeAutoScalingGroups" -> {
                StringBuilder members = new StringBuilder();
                instances.forEach((id, prot) -> members.append("<member><InstanceId>").append(id)
                        .append("</InstanceId><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService</LifecycleState><HealthStatus>")
                        .append(health.getOrDefault(id, "Healthy")).append("</HealthStatus><ProtectedFromScaleIn>").append(prot)
                        .append("</ProtectedFromScaleIn></member>"));
                String name = form.get("AutoScalingGroupNames.member.1");
                String groups = group.equals(name) ? "<member><AutoScalingGroupName>" + group + "</AutoScalingGroupName><MinSize>" + min
                        + "</MinSize><MaxSize>" + max + "</MaxSize><DesiredCapacity>" + desired + "</DesiredCapacity><Instances>" + members
                        + "</Instances></member>" : "";
                return ok(action, "<AutoScalingGroups>" + groups + "</AutoScalingGroups>");
            }
            case "SetDesiredCapacity" -> {
                desired = Integer.parseInt(form.get("DesiredCapacity"));
                while (instances.size() < desired) {
                    instances.put("i-" + (1000 + instances.size() + calls.size()), false);
                }
                return ok(action, null);
            }
            case "TerminateInstanceInAutoScalingGroup" -> {
                String id = form.get("InstanceId");
                instances.remove(id);
                if (Boolean.parseBoolean(form.get("ShouldDecrementDesiredCapacity"))) {
                    desired--;
                } else {
                    instances.put("i-" + (2000 + calls.size()), false); // the group replaces it
                }
                return ok(action, "<Activity><ActivityId>a-1</ActivityId><AutoScalingGroupName>" + group
                        + "</AutoScalingGroupName><StatusCode>InProgress</StatusCode><Cause>terminate " + id + "</Cause></Activity>");
            }
            case "SetInstanceProtection" -> {
                instances.replace(form.get("InstanceIds.member.1"), Boolean.parseBoolean(form.get("ProtectedFromScaleIn")));
                return ok(action, null);
            }
            default -> {
                return null;
            }
        }
    }

    private static String ok(String action, String result) {
        return "<" + action + "Response xmlns=\"" + NS + "\">" + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
                + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></" + action + "Response>";
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>";
    }

    List<String> actions() {
        List<String> a = new ArrayList<>();
        calls.forEach(c -> a.add(c.get("Action")));
        return a;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
