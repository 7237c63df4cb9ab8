package io.ccc.tck;

import io.ccc.embedded.InMemoryJobStore;
import io.ccc.spi.JobStore;

class EmbeddedJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore createStore() {
        return new InMemoryJobStore();
    }
}
