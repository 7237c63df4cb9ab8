package io.ccc.s3;

import io.ccc.Config;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of {@link S3Storage}.
 *
 * @param bucket          the bucket (must exist: checked at start)
 * @param prefix          optional key prefix, e.g. "ccc/prod" (no leading or trailing slash)
 * @param region          AWS region (any value for most S3-compatible stores)
 * @param endpoint        endpoint override for S3-compatible stores, or empty for AWS
 * @param pathStyle       path-style addressing (needed by most S3-compatible stores)
 * @param accessKeyId     static credentials, or empty for the default provider chain (env, profile, instance role)
 * @param secretAccessKey see accessKeyId
 * @param partSize        multipart part size; uploads larger than this (or of unknown length) go in parts
 * @param urlLifetime     default lifetime of presigned URLs
 * @param maxAttempts     tries per request for transient failures (5xx, throttling, connection reset)
 */
public record S3Config(String bucket, String prefix, String region, Optional<URI> endpoint, boolean pathStyle,
                       Optional<String> accessKeyId, Optional<String> secretAccessKey, long partSize, Duration urlLifetime,
                       int maxAttempts) {
    public static final long MIN_PART_SIZE = 5L << 20;

    public S3Config {
        if (bucket == null || bucket.length() < 3 || bucket.length() > 63) {
            throw new IllegalArgumentException("s3.bucket must be 3 to 63 characters, got " + bucket);
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("s3.part-size must be at least 5 MiB (S3's minimum), got " + partSize);
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException("set both s3.access-key-id and s3.secret-access-key, or neither");
        }
    }

    /** Reads {@code s3.*} keys; the seed's AWS_S3_BUCKET, AWS_S3_REGION, AWS_S3_KEYID, AWS_S3_KEY are honoured too. */
    public static S3Config fromConfig(Config c) {
        String bucket = c.get("s3.bucket").or(() -> env("AWS_S3_BUCKET"))
                .orElseThrow(() -> new IllegalArgumentException("s3.bucket (CCC_S3_BUCKET or AWS_S3_BUCKET) is not set"));
        return new S3Config(bucket,
                c.get("s3.prefix", ""),
                c.get("s3.region").or(() -> env("AWS_S3_REGION")).or(() -> env("AWS_REGION")).orElse("us-east-1"),
                c.get("s3.endpoint").map(URI::create),
                c.getBoolean("s3.path-style", c.get("s3.endpoint").isPresent()),
                c.get("s3.access-key-id").or(() -> env("AWS_S3_KEYID")),
                c.get("s3.secret-access-key").or(() -> env("AWS_S3_KEY")),
                c.getBytes("s3.part-size", 8L << 20),
                c.getDuration("s3.url-lifetime", Duration.ofHours(1)),
                c.getInt("s3.max-attempts", 4));
    }

    public static S3Config forEndpoint(URI endpoint, String bucket, String accessKeyId, String secret) {
        return new S3Config(bucket, "", "us-east-1", Optional.of(endpoint), true, Optional.of(accessKeyId), Optional.of(secret),
                8L << 20, Duration.ofHours(1), 4);
    }

    public S3Config withPrefix(String prefix) {
        return new S3Config(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, partSize, urlLifetime, maxAttempts);
    }

    public S3Config withBucket(String bucket) {
        return new S3Config(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, partSize, urlLifetime, maxAttempts);
    }

    public S3Config withCredentials(String accessKeyId, String secret) {
        return new S3Config(bucket, prefix, region, endpoint, pathStyle, Optional.of(accessKeyId), Optional.of(secret), partSize,
                urlLifetime, maxAttempts);
    }

    public S3Config withMaxAttempts(int maxAttempts) {
        return new S3Config(bucket, prefix, region, endpoint, pathStyle, accessKeyId, secretAccessKey, partSize, urlLifetime, maxAttempts);
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
    }
}
