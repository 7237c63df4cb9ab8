package io.ccc;

import com.fasterxml.jackson.annotation.JsonValue;

/** The container's network. NONE by default: a job gets a network only when it asks for one. */
public enum NetworkMode {
    NONE("none"), BRIDGE("bridge");

    private final String dockerName;

    NetworkMode(String dockerName) {
        this.dockerName = dockerName;
    }

    @JsonValue
    public String dockerName() {
        return dockerName;
    }
}
