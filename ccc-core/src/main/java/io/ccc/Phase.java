package io.ccc;

/** Steps inside RUNNING, in the order a worker goes through them. */
public enum Phase {
    PULLING_IMAGE, COPYING_INPUTS, RUNNING, COPYING_OUTPUTS
}
