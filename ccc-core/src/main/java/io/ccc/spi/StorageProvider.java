package io.ccc.spi;

/** ServiceLoader entry point for a {@link Storage}. */
public interface StorageProvider extends BackendProvider<Storage> {
}
