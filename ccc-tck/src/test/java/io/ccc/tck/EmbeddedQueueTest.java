package io.ccc.tck;

import io.ccc.embedded.InMemoryJobStore;
import io.ccc.embedded.InMemoryQueue;
import io.ccc.spi.JobStore;
import io.ccc.spi.Queue;

class EmbeddedQueueTest extends QueueContract {
    @Override
    protected Queue createQueue() {
        return new InMemoryQueue();
    }

    @Override
    protected JobStore createStore() {
        return new InMemoryJobStore();
    }
}
