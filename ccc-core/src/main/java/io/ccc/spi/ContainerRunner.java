package io.ccc.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs containers on an engine. Files move in and out as tar streams (never host bind mounts), so the
 * engine can be remote. Engine failures are {@link EngineException}s (retryable unless they say otherwise).
 */
public interface ContainerRunner extends AutoCloseable {

    /** Makes sure the image is present, pulling it if missing. {@link ImageNotFoundException} when it cannot be had. */
    void pullIfMissing(String image);

    /** Creates (does not start) a container and returns its id. */
    String create(ContainerSpec spec);

    /** Extracts a tar stream into {@code directory} of the container. */
    void copyIn(String containerId, String directory, InputStream tar);

    void start(String containerId);

    /** Waits for the container to exit; empty if {@code timeout} passed first (the container still runs). */
    Optional<ContainerExit> await(String containerId, Duration timeout);

    /** Kills the container (SIGKILL); no-op if it is not running. */
    void kill(String containerId);

    /** A tar stream of {@code path} in the container; the caller closes it. Empty if the path does not exist. */
    Optional<InputStream> copyOut(String containerId, String path);

    /**
     * Writes the container's stdout and stderr, demultiplexed, to the two streams. With {@code follow}, keeps
     * writing as the container produces output and returns when it exits.
     */
    void logs(String containerId, OutputStream stdout, OutputStream stderr, boolean follow);

    /** Removes the container and its anonymous volumes, killing it if needed. Idempotent. */
    void remove(String containerId);

    /** Whether the engine answers, and how full its data disk is. */
    EngineHealth health();

    /**
     * Removes containers that carry label {@code labelKey} with a value {@code isDead} accepts, e.g. those of
     * workers that are gone. Returns how many were removed.
     */
    int removeContainers(String labelKey, Predicate<String> isDead);

    /** Ids of containers carrying all the given labels. */
    java.util.List<String> containers(Map<String, String> labels);

    @Override
    void close();
}
