package io.ccc.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.ccc.CccException;
import io.ccc.spi.ContainerExit;
import io.ccc.spi.ContainerRunner;
import io.ccc.spi.ContainerSpec;
import io.ccc.spi.EngineException;
import io.ccc.spi.EngineHealth;
import io.ccc.spi.ImageNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRunner} on docker-java over the httpclient5 transport (unix socket or {@code DOCKER_HOST}).
 * Containers always get cpu, memory (no extra swap) and pids limits, {@code no-new-privileges}, no
 * privileged mode and no host mounts; files move as tar streams, so a remote engine works the same.
 */
public final class DockerContainerRunner implements ContainerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRunner.class);
    // a wait is re-issued in slices so no HTTP read ever sits idle long enough to hit a socket timeout
    private static final long WAIT_SLICE_MS = 60_000;

    private final DockerClient docker;
    private final DockerRunnerConfig config;

    public DockerContainerRunner(DockerRunnerConfig config) {
        this.config = config;
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(config.host()).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .maxConnections(config.maxConnections())
                .connectionTimeout(config.connectTimeout())
                .build();
        this.docker = DockerClientImpl.getInstance(clientConfig, http);
    }

    public static DockerContainerRunner create() {
        return new DockerContainerRunner(DockerRunnerConfig.defaults());
    }

    @Override
    public void pullIfMissing(String image) {
        call("inspect image " + image, () -> {
            try {
                docker.inspectImageCmd(image).exec();
                return null;
            } catch (NotFoundException missing) {
                pull(image);
                return null;
            }
        });
    }

    private void pull(String image) {
        LOG.info("pulling image {}", image);
        var cmd = docker.pullImageCmd(image);
        if (!hasTagOrDigest(image)) {
            cmd = cmd.withTag("latest"); // without a tag the engine would pull every tag
        }
        try {
            if (!cmd.exec(new PullImageResultCallback()).awaitCompletion(config.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException("IMAGE_PULL_TIMEOUT", "pulling " + image + " took longer than " + config.pullTimeout(), true, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("pull of " + image + " interrupted", e);
        } catch (DockerException | DockerClientException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (isPermanentPullFailure(message)) {
                throw new ImageNotFoundException(image, firstLine(message));
            }
            throw new EngineException("IMAGE_PULL_FAILED", "pulling " + image + " failed: " + firstLine(message), true, e);
        }
    }

    /**
     * Unknown repository or tag, no access, a bad reference, or a registry host that does not resolve: another
     * try would fail the same way. Connection refused, timeouts and registry 5xx are left retryable.
     */
    static boolean isPermanentPullFailure(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("not found") || m.contains("manifest unknown") || m.contains("does not exist")
                || m.contains("pull access denied") || m.contains("no such host") || m.contains("invalid reference format")
                || m.contains("unauthorized") || m.contains("repository name must");
    }

    static boolean hasTagOrDigest(String image) {
        int slash = image.lastIndexOf('/');
        return image.contains("@") || image.indexOf(':', slash + 1) >= 0;
    }

    @Override
    public String create(ContainerSpec spec) {
        return call("create container", () -> {
            HostConfig host = HostConfig.newHostConfig()
                    .withNanoCPUs(Math.round(spec.cpus() * 1e9))
                    .withMemory(spec.memoryBytes())
                    .withMemorySwap(spec.memoryBytes()) // = memory: no swap beyond the limit
                    .withPidsLimit((long) spec.pids())
                    .withNetworkMode(spec.network())
                    .withPrivileged(false)
                    .withSecurityOpts(List.of("no-new-privileges"));
            List<String> env = new ArrayList<>();
            spec.env().forEach((k, v) -> env.add(k + "=" + v));
            CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                    .withCmd(spec.command())
                    .withEnv(env)
                    .withLabels(spec.labels())
                    .withHostConfig(host)
                    .withNetworkDisabled("none".equals(spec.network()));
            if (spec.workingDir() != null) {
                cmd = cmd.withWorkingDir(spec.workingDir());
            }
            return cmd.exec().getId();
        });
    }

    @Override
    public void copyIn(String containerId, String directory, InputStream tar) {
        call("copy into " + shortId(containerId), () -> {
            docker.copyArchiveToContainerCmd(containerId).withRemotePath(directory).withTarInputStream(tar).exec();
            return null;
        });
    }

    @Override
    public void start(String containerId) {
        call("start " + shortId(containerId), () -> {
            docker.startContainerCmd(containerId).exec();
            return null;
        });
    }

    @Override
    public Optional<ContainerExit> await(String containerId, Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                // the deadline may pass while we were not waiting: look before saying "still running"
                return exited(containerId);
            }
            WaitContainerResultCallback callback = call("wait " + shortId(containerId),
                    () -> docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback()));
            try {
                Integer code = callback.awaitStatusCode(Math.min(left, WAIT_SLICE_MS), TimeUnit.MILLISECONDS);
                if (code != null) {
                    return Optional.of(new ContainerExit(code, oomKilled(containerId)));
                }
            } catch (DockerClientException e) {
                if (!String.valueOf(e.getMessage()).contains("timeout")) {
                    throw new EngineException("waiting for " + shortId(containerId) + " failed: " + e.getMessage(), e);
                }
            } catch (DockerException e) {
                throw translate("wait " + shortId(containerId), e);
            } finally {
                closeQuietly(callback);
            }
        }
    }

    private Optional<ContainerExit> exited(String containerId) {
        InspectContainerResponse.ContainerState state = call("inspect " + shortId(containerId),
                () -> docker.inspectContainerCmd(containerId).exec().getState());
        if (Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null) {
            return Optional.empty();
        }
        return Optional.of(new ContainerExit(state.getExitCodeLong().intValue(), Boolean.TRUE.equals(state.getOOMKilled())));
    }

    private boolean oomKilled(String containerId) {
        return Boolean.TRUE.equals(call("inspect " + shortId(containerId),
                () -> docker.inspectContainerCmd(containerId).exec().getState().getOOMKilled()));
    }

    @Override
    public void kill(String containerId) {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException e) {
            // gone or not running: nothing to kill
        } catch (DockerException e) {
            throw translate("kill " + shortId(containerId), e);
        } catch (RuntimeException e) {
            throw new EngineException("kill " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<InputStream> copyOut(String containerId, String path) {
        try {
            return Optional.of(docker.copyArchiveFromContainerCmd(containerId, path).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            throw translate("copy " + path + " out of " + shortId(containerId), e);
        } catch (RuntimeException e) {
            throw new EngineException("copy " + path + " out of " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void logs(String containerId, OutputStream stdout, OutputStream stderr, boolean follow) {
        IOException[] failure = new IOException[1];
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                try {
                    if (frame.getStreamType() == StreamType.STDERR) {
                        stderr.write(frame.getPayload());
                    } else {
                        stdout.write(frame.getPayload());
                    }
                } catch (IOException e) {
                    failure[0] = e;
                    throw new UncheckedIOException(e);
                }
            }
        };
        try {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow).exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("reading logs of " + shortId(containerId) + " interrupted", e);
        } catch (DockerException e) {
            throw translate("logs of " + shortId(containerId), e);
        } finally {
            closeQuietly(callback);
        }
        if (failure[0] != null) {
            throw new CccException("LOG_WRITE_FAILED", "writing logs of " + shortId(containerId) + ": " + failure[0].getMessage(), true, failure[0]);
        }
    }

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw translate("remove " + shortId(containerId), e);
            }
        } catch (DockerException e) {
            throw translate("remove " + shortId(containerId), e);
        } catch (RuntimeException e) {
            throw new EngineException("remove " + shortId(containerId) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EngineHealth health() {
        try {
            docker.pingCmd().exec();
            String root = docker.infoCmd().exec().getDockerRootDir();
            return new EngineHealth(true, "ok", diskUsed(root));
        } catch (RuntimeException e) {
            return new EngineHealth(false, firstLine(String.valueOf(e.getMessage())), -1);
        }
    }

    /** Fraction used of the disk under the engine's data root, when that folder is visible here (local engine). */
    private static double diskUsed(String root) {
        if (root == null) {
            return -1;
        }
        try {
            Path p = Path.of(root);
            if (!Files.isDirectory(p)) {
                return -1;
            }
            FileStore store = Files.getFileStore(p);
            long total = store.getTotalSpace();
            return total <= 0 ? -1 : 1.0 - (double) store.getUsableSpace() / total;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    @Override
    public int removeContainers(String labelKey, Predicate<String> isDead) {
        List<Container> found = call("list containers", () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(labelKey)).exec());
        int removed = 0;
        for (Container c : found) {
            String value = c.getLabels() == null ? null : c.getLabels().get(labelKey);
            if (value != null && isDead.test(value)) {
                LOG.info("removing container {} left by {}={}", shortId(c.getId()), labelKey, value);
                remove(c.getId());
                removed++;
            }
        }
        return removed;
    }

    @Override
    public List<String> containers(Map<String, String> labels) {
        return call("list containers", () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
                .stream().map(Container::getId).toList();
    }

    /** The underlying client, for tests and diagnostics. */
    public DockerClient client() {
        return docker;
    }

    @Override
    public void close() {
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debug("closing docker client", e);
        }
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (CccException e) {
            throw e;
        } catch (DockerException e) {
            throw translate(what, e);
        } catch (RuntimeException e) {
            throw new EngineException(what + " failed: " + firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** 4xx from the engine means the request is wrong and will stay wrong; the rest may pass on a retry. */
    private static EngineException translate(String what, DockerException e) {
        String message = what + " failed: " + firstLine(String.valueOf(e.getMessage()));
        if (e instanceof BadRequestException) {
            return new EngineException("ENGINE_REJECTED", message, false, e);
        }
        if (e instanceof NotModifiedException) {
            return new EngineException("ENGINE_ERROR", message, false, e);
        }
        return new EngineException(message, e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
