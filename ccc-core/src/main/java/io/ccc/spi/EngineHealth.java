package io.ccc.spi;

/**
 * @param diskUsed fraction (0..1) of the engine's data disk in use, or -1 when it cannot be measured
 *                 (e.g. a remote engine)
 */
public record EngineHealth(boolean reachable, String detail, double diskUsed) {
}
