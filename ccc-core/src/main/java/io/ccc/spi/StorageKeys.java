package io.ccc.spi;

import io.ccc.CccException;
import io.ccc.JobId;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place storage keys are checked and built. A key is '/'-separated segments, none empty, '.' or
 * '..', no backslash or control character: so no key can climb out of a storage root or prefix.
 */
public final class StorageKeys {
    public static final int MAX_LENGTH = 1024;

    private StorageKeys() {
    }

    public static List<String> problems(String at, String key) {
        List<String> problems = new ArrayList<>();
        if (key == null || key.isEmpty()) {
            problems.add(at + ": must not be empty");
            return problems;
        }
        if (key.length() > MAX_LENGTH) {
            problems.add(at + ": longer than " + MAX_LENGTH + " characters");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problems.add(at + ": contains a control character");
        }
        if (key.contains("\\")) {
            problems.add(at + ": must not contain a backslash");
        }
        if (key.startsWith("/") || key.endsWith("/")) {
            problems.add(at + ": must not start or end with '/'");
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() && !key.startsWith("/") && !key.endsWith("/")) {
                problems.add(at + ": must not contain empty segments ('//')");
                break;
            }
            if (part.equals(".") || part.equals("..")) {
                problems.add(at + ": must not contain '.' or '..' segments");
                break;
            }
        }
        return problems;
    }

    /** Throws unless {@code key} is valid. */
    public static String check(String key) {
        List<String> problems = problems("key", key);
        if (!problems.isEmpty()) {
            throw new CccException("INVALID_KEY", String.join("; ", problems), false);
        }
        return key;
    }

    /** A prefix is a key, or empty, optionally ending with '/'. */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /** Everything of one job lives under this prefix. */
    public static String jobPrefix(JobId id) {
        return "jobs/" + id.value() + "/";
    }

    public static String input(JobId id, String name) {
        return check(jobPrefix(id) + "inputs/" + name);
    }

    /** Outputs and logs are kept per attempt, so a stale attempt can never overwrite the current one's files. */
    public static String attemptPrefix(JobId id, int attempt) {
        return jobPrefix(id) + "attempts/" + attempt + "/";
    }

    public static String output(JobId id, int attempt, String path) {
        return check(attemptPrefix(id, attempt) + "outputs/" + path);
    }

    public static String log(JobId id, int attempt, String stream) {
        return check(attemptPrefix(id, attempt) + stream);
    }

    public static String result(JobId id) {
        return jobPrefix(id) + "result.json";
    }
}
