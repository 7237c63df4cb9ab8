package io.ccc.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccc.CccException;
import io.ccc.spi.Storage;
import io.ccc.tck.StorageContract;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Storage contract on s3proxy, with a key prefix, plus presigned URLs and prefix containment. */
class S3StorageTest extends StorageContract {
    private S3Config config;

    @Override
    protected Storage createStorage() {
        config = S3TestSupport.newBucket().withPrefix("tenant-a");
        return new S3Storage(config);
    }

    @Test
    void presignedUrlsServeTheObjectWithoutCredentials() throws Exception {
        byte[] data = "presigned bytes".getBytes();
        storage.put(base + "p.txt", new ByteArrayInputStream(data), data.length);
        URI url = storage.url(base + "p.txt", Duration.ofMinutes(5)).orElseThrow();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
        assertThat(url.getQuery()).contains("X-Amz-Signature");
    }

    @Test
    void keysStayInsideThePrefix() {
        storage.put(base + "mine", new ByteArrayInputStream(new byte[] {1}), 1);
        try (var s3 = S3TestSupport.adminClient(config.endpoint().orElseThrow())) {
            assertThat(s3.listObjectsV2(b -> b.bucket(config.bucket())).contents())
                    .allSatisfy(o -> assertThat(o.key()).startsWith("tenant-a/"));
            s3.putObject(b -> b.bucket(config.bucket()).key("tenant-b/secret"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        }
        assertThatThrownBy(() -> storage.get("../tenant-b/secret")).isInstanceOf(CccException.class);
        assertThat(storage.list("")).noneMatch(o -> o.key().contains("secret"));
    }
}
