package io.ccc.s3;

import io.ccc.Config;
import io.ccc.spi.Storage;
import io.ccc.spi.StorageProvider;

/** ServiceLoader entry: {@code storage=s3}. */
public final class S3StorageProvider implements StorageProvider {
    @Override
    public String name() {
        return "s3";
    }

    /** S3 is used by default only when a bucket is configured. */
    @Override
    public boolean configured(Config config) {
        return config.get("s3.bucket").isPresent() || (System.getenv("AWS_S3_BUCKET") != null && !System.getenv("AWS_S3_BUCKET").isBlank());
    }

    @Override
    public Storage create(Config config) {
        return new S3Storage(S3Config.fromConfig(config));
    }
}
