package io.ccc.s3;

import io.ccc.spi.KeyNotFoundException;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageException;
import io.ccc.spi.StorageKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link Storage} on S3 or an S3-compatible store. Objects up to one part are read into one part-sized buffer
 * and sent in one PUT (so the SDK can retry it); bigger or unknown-length uploads go multipart, one buffer at a
 * time, and are aborted on any failure: an object appears whole or not at all, and memory stays at one part.
 * Downloads stream. Transient failures are retried by the SDK; permanent ones (403, 404) surface at once.
 */
public final class S3Storage implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);

    private final S3Config config;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String root;

    public S3Storage(S3Config config) {
        this.config = config;
        this.root = config.prefix().isEmpty() ? "" : config.prefix() + "/";
        AwsCredentialsProvider credentials = config.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId().get(), config.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration service = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(service)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(config.maxAttempts())));
        S3Presigner.Builder presign = S3Presigner.builder().region(Region.of(config.region())).credentialsProvider(credentials)
                .serviceConfiguration(service);
        config.endpoint().ifPresent(e -> {
            builder.endpointOverride(e);
            presign.endpointOverride(e);
        });
        this.s3 = builder.build();
        this.presigner = presign.build();
        try {
            checkBucket();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Fails at start, not at the first job, when the bucket is missing or the credentials are refused. */
    private void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception e) {
            String why = switch (e.statusCode()) {
                case 404 -> "bucket " + config.bucket() + " does not exist";
                case 403, 401 -> "access to bucket " + config.bucket() + " denied: check the credentials and their permissions";
                default -> "bucket " + config.bucket() + " cannot be used: " + message(e);
            };
            throw new StorageException("STORAGE_UNUSABLE", why + " (" + where() + ")", false, e);
        } catch (SdkException e) {
            throw new StorageException("STORAGE_UNUSABLE", "cannot reach S3 at " + where() + ": " + e.getMessage(), true, e);
        }
    }

    private String where() {
        return config.endpoint().map(URI::toString).orElse("AWS " + config.region());
    }

    private String objectKey(String key) {
        return root + StorageKeys.check(key);
    }

    @Override
    public long put(String key, InputStream data, long length) {
        String objectKey = objectKey(key);
        // one buffer, reused for every part: memory stays at one part whatever the object's size
        byte[] buffer = new byte[(int) config.partSize()];
        try {
            int filled = fill(data, buffer);
            if (filled < buffer.length) {
                checkLength(key, length, filled);
                call("put " + key, () -> s3.putObject(b -> b.bucket(config.bucket()).key(objectKey), body(buffer, filled)));
                return filled;
            }
            return multipart(key, objectKey, buffer, data, length);
        } catch (IOException e) {
            throw new StorageException("put " + key + ": reading the data failed: " + e.getMessage(), true, e);
        }
    }

    private long multipart(String key, String objectKey, byte[] buffer, InputStream data, long length) throws IOException {
        String uploadId = call("put " + key, () -> s3.createMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey))).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int filled = buffer.length;
            for (int number = 1; filled > 0; number++) {
                int n = number;
                int size = filled;
                String etag = call("put " + key + " part " + n, () -> s3.uploadPart(b -> b.bucket(config.bucket()).key(objectKey)
                        .uploadId(uploadId).partNumber(n), body(buffer, size))).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                total += size;
                filled = fill(data, buffer);
            }
            checkLength(key, length, total);
            call("put " + key, () -> s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))));
            completed = true;
            return total;
        } finally {
            if (!completed) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(objectKey).uploadId(uploadId));
                } catch (SdkException e) {
                    LOG.warn("could not abort the multipart upload of {} ({}); a bucket lifecycle rule will clear it", key, e.getMessage());
                }
            }
        }
    }

    /** Reads until the buffer is full or the stream ends; returns the bytes read. */
    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        for (int n; filled < buffer.length && (n = in.read(buffer, filled, buffer.length - filled)) >= 0; ) {
            filled += n;
        }
        return filled;
    }

    /** A body over the buffer without copying it; each (re)try reads it afresh. */
    private static RequestBody body(byte[] buffer, int size) {
        return RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(buffer, 0, size), size, "application/octet-stream");
    }

    private static void checkLength(String key, long expected, long actual) {
        if (expected >= 0 && expected != actual) {
            throw new StorageException("put " + key + ": expected " + expected + " bytes, got " + actual, true, null);
        }
    }

    @Override
    public InputStream get(String key) {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(config.bucket()).key(objectKey));
        } catch (NoSuchKeyException e) {
            throw new KeyNotFoundException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new KeyNotFoundException(key);
            }
            throw translate("get " + key, e);
        } catch (SdkException e) {
            throw translate("get " + key, e);
        }
    }

    @Override
    public Optional<StorageObject> stat(String key) {
        String objectKey = objectKey(key);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key(objectKey));
            return Optional.of(new StorageObject(key, head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw translate("stat " + key, e);
        } catch (SdkException e) {
            throw translate("stat " + key, e);
        }
    }

    @Override
    public List<StorageObject> list(String prefix) {
        StorageKeys.checkPrefix(prefix);
        List<StorageObject> found = new ArrayList<>();
        call("list " + prefix, () -> {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(root + prefix)).contents()) {
                found.add(new StorageObject(o.key().substring(root.length()), o.size(), o.lastModified()));
            }
            return null;
        });
        return found;
    }

    @Override
    public int deleteByPrefix(String prefix) {
        List<StorageObject> objects = list(prefix);
        for (int i = 0; i < objects.size(); i += 1000) {
            List<ObjectIdentifier> batch = objects.subList(i, Math.min(objects.size(), i + 1000)).stream()
                    .map(o -> ObjectIdentifier.builder().key(root + o.key()).build()).toList();
            call("delete " + prefix, () -> s3.deleteObjects(b -> b.bucket(config.bucket()).delete(Delete.builder().objects(batch).quiet(true).build())));
        }
        return objects.size();
    }

    @Override
    public Optional<URI> url(String key, Duration lifetime) {
        String objectKey = objectKey(key);
        Duration life = lifetime == null ? config.urlLifetime() : lifetime;
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(life)
                    .getObjectRequest(g -> g.bucket(config.bucket()).key(objectKey))).url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new StorageException("presign " + key + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public void close() {
        if (presigner != null) {
            presigner.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw translate(what, e);
        }
    }

    /** 403/404 and other 4xx are permanent and carry S3's message; the rest already had the SDK's retries. */
    static StorageException translate(String what, SdkException e) {
        if (e instanceof S3Exception s && s.statusCode() >= 400 && s.statusCode() < 500 && s.statusCode() != 429 && s.statusCode() != 408) {
            String code = s.statusCode() == 403 ? "STORAGE_DENIED" : "STORAGE_ERROR";
            return new StorageException(code, what + ": " + message(s), false, e);
        }
        boolean transientError = e instanceof SdkClientException || e.retryable() || e instanceof S3Exception;
        return new StorageException("STORAGE_ERROR", what + ": " + (e instanceof S3Exception s ? message(s) : e.getMessage()), transientError, e);
    }

    private static String message(S3Exception e) {
        var details = e.awsErrorDetails();
        return e.statusCode() + " " + (details != null && details.errorCode() != null ? details.errorCode() + ": " + details.errorMessage()
                : e.getMessage());
    }
}
