package io.ccc.spi;

/** ServiceLoader entry point for a {@link Scaler}. */
public interface ScalerProvider extends BackendProvider<Scaler> {
}
