package io.ccc.spi;

/** How a container ended: its exit code, and whether the kernel's OOM killer stopped it. */
public record ContainerExit(int exitCode, boolean oomKilled) {
}
