package io.ccc.spi;

import io.ccc.CccException;
import io.ccc.JobId;

/** The lease is no longer held: it expired and the job went back to the queue, or was acked/removed. */
public final class LeaseLostException extends CccException {
    public LeaseLostException(JobId jobId, long token) {
        super("LEASE_LOST", "lease " + token + " on job " + jobId + " is no longer held", true);
    }
}
