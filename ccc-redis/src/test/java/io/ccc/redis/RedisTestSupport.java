package io.ccc.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;

/**
 * The redis-server the project's scripts start (scripts/test-env.sh: 127.0.0.1:16379, or CCC_TEST_REDIS_URI).
 * Not reachable means the tests fail: they never skip.
 */
final class RedisTestSupport {
    private RedisTestSupport() {
    }

    static String uri() {
        String uri = System.getenv("CCC_TEST_REDIS_URI");
        return uri != null && !uri.isBlank() ? uri : "redis://127.0.0.1:16379";
    }

    static String newPrefix() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RedisConfig config(String prefix) {
        return RedisConfig.of(uri(), prefix);
    }

    /** Deletes every key of a test's prefix. */
    static void deleteAll(String prefix) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches("{" + prefix + "}:*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    c.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }
}
