package io.ccc.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.ccc.spi.ContainerRunner;
import io.ccc.tck.ContainerRunnerContract;
import org.junit.jupiter.api.Test;

/** The ContainerRunner contract against the real engine, plus what only Docker can show. */
class DockerContainerRunnerTest extends ContainerRunnerContract {
    @Override
    protected ContainerRunner createRunner() {
        return DockerContainerRunner.create();
    }

    @Test
    void containersAreLimitedUnprivilegedAndMountNothing() {
        String id = create("true", 32L << 20, java.util.Map.of());
        InspectContainerResponse inspect = ((DockerContainerRunner) runner).client().inspectContainerCmd(id).exec();
        var host = inspect.getHostConfig();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getMemory()).isEqualTo(32L << 20);
        assertThat(host.getMemorySwap()).isEqualTo(32L << 20);
        assertThat(host.getNanoCPUs()).isEqualTo(1_000_000_000L);
        assertThat(host.getPidsLimit()).isEqualTo(64L);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getBinds()).isNullOrEmpty();
        assertThat(inspect.getMounts()).isNullOrEmpty();
        assertThat(host.getNetworkMode()).isEqualTo("none");
    }

    @Test
    void classifiesPullFailures() {
        assertThat(DockerContainerRunner.isPermanentPullFailure("Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host")).isTrue();
        assertThat(DockerContainerRunner.isPermanentPullFailure("manifest unknown")).isTrue();
        assertThat(DockerContainerRunner.isPermanentPullFailure("dial tcp 127.0.0.1:5000: connect: connection refused")).isFalse();
        assertThat(DockerContainerRunner.hasTagOrDigest("localhost:5000/x")).isFalse();
        assertThat(DockerContainerRunner.hasTagOrDigest("localhost:5000/x:1")).isTrue();
        assertThat(DockerContainerRunner.hasTagOrDigest("busybox@sha256:abc")).isTrue();
    }
}
