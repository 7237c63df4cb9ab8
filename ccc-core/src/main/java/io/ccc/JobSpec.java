package io.ccc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import io.ccc.internal.Names;

/**
 * What to run: image, command, env, working directory, input files, resources, time limits, kind,
 * priority, labels, retry policy and network. The constructor fills defaults and then validates the whole
 * spec in one pass, throwing {@link InvalidJobSpecException} with every problem it found.
 *
 * <p>Inline input caps: a FAST job's inline inputs total at most {@link #FAST_INLINE_LIMIT} bytes (and FAST
 * inputs must be inline); a STANDARD job's inline inputs total at most {@link #INLINE_LIMIT} (bigger files go
 * to Storage first and are referenced by key). FAST jobs are never retried.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JobSpec(
        String image,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        List<Input> inputs,
        Resources resources,
        Limits limits,
        JobKind kind,
        Integer priority,
        Map<String, String> labels,
        RetryPolicy retry,
        NetworkMode network) {

    public static final long FAST_INLINE_LIMIT = 1L << 20;
    public static final long INLINE_LIMIT = 64L << 20;
    public static final int MAX_INPUTS = 1000;
    public static final int MAX_LABELS = 64;
    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;

    // [registry/]path[:tag][@digest] as docker reads it: a first part is a registry only with a '.', a port, or "localhost"
    private static final Pattern IMAGE = Pattern.compile(
            "(?:(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+|localhost)/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-/]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public JobSpec {
        command = command == null ? List.of() : unmodifiable(command);
        env = env == null ? Map.of() : unmodifiable(env);
        inputs = inputs == null ? List.of() : unmodifiable(inputs);
        resources = resources == null ? Resources.DEFAULT : resources;
        limits = limits == null ? Limits.DEFAULT : limits;
        kind = kind == null ? JobKind.STANDARD : kind;
        priority = priority == null ? 0 : priority;
        labels = labels == null ? Map.of() : unmodifiable(labels);
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        retry = kind == JobKind.FAST ? RetryPolicy.NONE : retry;
        network = network == null ? NetworkMode.NONE : network;
        List<String> problems = problems(image, command, env, workingDir, inputs, resources, limits, kind, priority, labels, retry);
        if (!problems.isEmpty()) {
            throw new InvalidJobSpecException(problems);
        }
    }

    public static Builder builder(String image) {
        return new Builder().image(image);
    }

    public Builder toBuilder() {
        return new Builder().image(image).command(command).env(env).workingDir(workingDir).inputs(inputs)
                .resources(resources).limits(limits).kind(kind).priority(priority).labels(labels).retry(retry)
                .network(network);
    }

    /** Total decoded bytes of the inline inputs. */
    public long inlineBytes() {
        return inputs.stream().filter(Input::isInline).mapToLong(i -> i.decodedValue().length).sum();
    }

    private static List<String> problems(String image, List<String> command, Map<String, String> env, String workingDir,
                                         List<Input> inputs, Resources resources, Limits limits, JobKind kind,
                                         int priority, Map<String, String> labels, RetryPolicy retry) {
        List<String> problems = new ArrayList<>();
        if (image == null || image.isBlank()) {
            problems.add("image: must not be empty");
        } else if (image.length() > 512 || !IMAGE.matcher(image).matches()) {
            problems.add("image: not a valid image reference: '" + Names.printable(image) + "'");
        }
        if (command.isEmpty()) {
            problems.add("command: must not be empty");
        }
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i) == null) {
                problems.add("command[" + i + "]: must not be null");
            } else if (command.get(i).indexOf('\0') >= 0) {
                problems.add("command[" + i + "]: contains a NUL character");
            }
        }
        env.forEach((k, v) -> {
            if (k == null || !ENV_NAME.matcher(k).matches()) {
                problems.add("env: invalid variable name '" + (k == null ? "null" : Names.printable(k)) + "'");
            } else if (v == null || v.indexOf('\0') >= 0) {
                problems.add("env." + k + ": must be a string without NUL");
            }
        });
        if (workingDir != null && (!workingDir.startsWith("/") || workingDir.indexOf('\0') >= 0)) {
            problems.add("workingDir: must be an absolute path, got '" + Names.printable(workingDir) + "'");
        }
        if (inputs.size() > MAX_INPUTS) {
            problems.add("inputs: at most " + MAX_INPUTS + " inputs, got " + inputs.size());
        }
        Set<String> seen = new HashSet<>();
        long inline = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            String at = "inputs[" + i + "]";
            if (input == null) {
                problems.add(at + ": must not be null");
                continue;
            }
            List<String> own = input.problems(at);
            problems.addAll(own);
            if (input.name() != null && !input.name().isEmpty() && !seen.add(input.name())) {
                problems.add(at + ".name: duplicate input name '" + Names.printable(input.name()) + "'");
            }
            if (kind == JobKind.FAST && !input.isInline()) {
                problems.add(at + ": FAST jobs take inline inputs only (value), not key or url");
            }
            if (input.isInline() && own.stream().noneMatch(p -> p.startsWith(at + ".value") || p.startsWith(at + ".encoding"))) {
                inline += input.decodedValue().length;
            }
        }
        long cap = kind == JobKind.FAST ? FAST_INLINE_LIMIT : INLINE_LIMIT;
        if (inline > cap) {
            problems.add("inputs: inline inputs total " + inline + " bytes, over the " + kind + " cap of " + cap + " bytes");
        }
        problems.addAll(resources.problems());
        problems.addAll(limits.problems());
        problems.addAll(retry.problems());
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            problems.add("priority: must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY + ", got " + priority);
        }
        if (labels.size() > MAX_LABELS) {
            problems.add("labels: at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        labels.forEach((k, v) -> {
            if (k == null || !LABEL_KEY.matcher(k).matches()) {
                problems.add("labels: invalid key '" + (k == null ? "null" : Names.printable(k)) + "' (letters, digits, _.-/, up to 63)");
            } else if (v == null || v.length() > 256 || v.chars().anyMatch(c -> c < 0x20)) {
                problems.add("labels." + k + ": value must be up to 256 printable characters");
            }
        });
        return problems;
    }

    // not List.copyOf: nulls must reach validation and be reported, not throw a bare NPE
    private static <T> List<T> unmodifiable(List<T> list) {
        return java.util.Collections.unmodifiableList(new ArrayList<>(list));
    }

    private static Map<String, String> unmodifiable(Map<String, String> map) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Builder for the many optional fields; {@link #build()} validates. */
    public static final class Builder {
        private String image;
        private List<String> command = List.of();
        private Map<String, String> env = new LinkedHashMap<>();
        private String workingDir;
        private List<Input> inputs = new ArrayList<>();
        private Resources resources;
        private Limits limits;
        private JobKind kind;
        private Integer priority;
        private Map<String, String> labels = new LinkedHashMap<>();
        private RetryPolicy retry;
        private NetworkMode network;

        public Builder image(String image) { this.image = image; return this; }
        public Builder command(String... command) { this.command = Arrays.asList(command); return this; }
        public Builder command(List<String> command) { this.command = command; return this; }
        public Builder env(String name, String value) { this.env.put(name, value); return this; }
        public Builder env(Map<String, String> env) { this.env = new LinkedHashMap<>(env); return this; }
        public Builder workingDir(String workingDir) { this.workingDir = workingDir; return this; }
        public Builder input(Input input) { this.inputs.add(input); return this; }
        public Builder inputs(List<Input> inputs) { this.inputs = new ArrayList<>(inputs); return this; }
        public Builder resources(Resources resources) { this.resources = resources; return this; }
        public Builder limits(Limits limits) { this.limits = limits; return this; }
        public Builder maxDuration(java.time.Duration maxDuration) {
            this.limits = new Limits(maxDuration, limits == null ? null : limits.maxQueued());
            return this;
        }
        public Builder kind(JobKind kind) { this.kind = kind; return this; }
        public Builder priority(int priority) { this.priority = priority; return this; }
        public Builder label(String key, String value) { this.labels.put(key, value); return this; }
        public Builder labels(Map<String, String> labels) { this.labels = new LinkedHashMap<>(labels); return this; }
        public Builder retry(RetryPolicy retry) { this.retry = retry; return this; }
        public Builder network(NetworkMode network) { this.network = network; return this; }

        public JobSpec build() {
            return new JobSpec(image, command, env, workingDir, inputs, resources, limits, kind, priority, labels, retry, network);
        }
    }
}
