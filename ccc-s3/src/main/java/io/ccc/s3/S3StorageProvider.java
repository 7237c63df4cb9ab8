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

    @Override
    public Storage create(Config config) {
        return new S3Storage(S3Config.fromConfig(config));
    }
}
