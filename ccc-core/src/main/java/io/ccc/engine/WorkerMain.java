package io.ccc.engine;

import io.ccc.Ccc;
import io.ccc.Config;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: backends from the environment ({@code CCC_QUEUE=redis}, {@code CCC_REDIS_URI}, ...),
 * a worker polling until the process gets SIGTERM/SIGINT, then a graceful stop within the shutdown grace.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Ccc ccc = Ccc.builder().config(Config.fromEnvironment().with("worker.enabled", "true")).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            ccc.close();
            stopped.countDown();
        }, "ccc-shutdown"));
        LOG.info("worker {} running", ccc.worker().orElseThrow().id());
        stopped.await();
    }
}
