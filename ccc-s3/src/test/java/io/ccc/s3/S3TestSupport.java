package io.ccc.s3;

import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The s3proxy that the project's scripts start (scripts/test-env.sh: 127.0.0.1:18090, or CCC_TEST_S3_ENDPOINT),
 * a real S3 protocol server that checks signatures. Not reachable means the tests fail: they never skip.
 */
final class S3TestSupport {
    static final String ID = "ccc-test";
    static final String SECRET = "ccc-test-secret";

    private S3TestSupport() {
    }

    static URI endpoint() {
        String e = System.getenv("CCC_TEST_S3_ENDPOINT");
        return URI.create(e != null && !e.isBlank() ? e : "http://127.0.0.1:18090");
    }

    static S3Client adminClient(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET))).build();
    }

    /** Creates a fresh bucket and returns a config for it. */
    static S3Config newBucket(URI endpoint) {
        String bucket = "ccc-test-" + UUID.randomUUID().toString().substring(0, 13);
        try (S3Client s3 = adminClient(endpoint)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return S3Config.forEndpoint(endpoint, bucket, ID, SECRET);
    }

    static S3Config newBucket() {
        return newBucket(endpoint());
    }
}
