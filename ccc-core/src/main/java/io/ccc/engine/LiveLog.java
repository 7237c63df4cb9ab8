package io.ccc.engine;

import io.ccc.JobId;
import io.ccc.spi.JobStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a running container's output to the job store's live log, in chunks: at most every 200 ms or 32 KiB,
 * so a chatty job costs the store a few writes a second, and a quiet one still shows its last line promptly.
 */
final class LiveLog extends OutputStream {
    private static final Logger LOG = LoggerFactory.getLogger(LiveLog.class);
    private static final int CHUNK = 32 * 1024;
    private static final long PERIOD_MS = 200;

    private final JobStore store;
    private final JobId id;
    private final String stream;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread flusher;
    private long forwarded;
    private volatile boolean closed;

    LiveLog(JobStore store, JobId id, String stream) {
        this.store = store;
        this.id = id;
        this.stream = stream;
        this.flusher = Thread.ofVirtual().name("ccc-live-log").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        });
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (forwarded + buffer.size() >= JobStore.LIVE_LOG_CAP) {
            return; // the rest is in the final log
        }
        buffer.write(b, off, len);
        if (buffer.size() >= CHUNK) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        if (buffer.size() == 0) {
            return;
        }
        byte[] chunk = buffer.toByteArray();
        buffer.reset();
        try {
            store.appendLog(id, stream, chunk);
            forwarded += chunk.length;
        } catch (RuntimeException e) {
            LOG.debug("live log of {} not forwarded: {}", id, e.toString()); // followers fall back to the final log
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        flush();
    }
}
