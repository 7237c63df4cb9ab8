package io.ccc.spi;

/** ServiceLoader entry point for a {@link JobStore}. */
public interface JobStoreProvider extends BackendProvider<JobStore> {
}
