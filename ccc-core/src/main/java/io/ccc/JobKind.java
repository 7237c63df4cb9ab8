package io.ccc;

/** STANDARD jobs are durable (inputs/outputs in Storage); FAST jobs are small, inline, served first. */
public enum JobKind {
    FAST, STANDARD
}
