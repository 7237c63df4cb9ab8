package io.ccc.http;

import io.ccc.Config;
import java.util.concurrent.CountDownLatch;

/** {@code java io.ccc.http.Main}: the server, configured by environment variables and system properties (README). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        CccServer server = CccServer.start(Config.fromEnvironment());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ccc-shutdown"));
        stopped.await();
    }
}
