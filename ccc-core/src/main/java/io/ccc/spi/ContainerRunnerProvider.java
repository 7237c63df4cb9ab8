package io.ccc.spi;

/** ServiceLoader entry point for a {@link ContainerRunner}. */
public interface ContainerRunnerProvider extends BackendProvider<ContainerRunner> {
}
