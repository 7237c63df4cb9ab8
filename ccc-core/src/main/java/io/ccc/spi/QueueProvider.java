package io.ccc.spi;

/** ServiceLoader entry point for a {@link Queue}. */
public interface QueueProvider extends BackendProvider<Queue> {
}
