package io.migratekit.discovery;

import java.util.concurrent.Semaphore;

/**
 * The bound on VMA discoveries running at once, shared by every listener thread of the service.
 * A slot is held from the call until its answer or deadline, never longer.
 */
public class InFlightLimit {

    private final int max;
    private final Semaphore slots;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the in-flight limit must be at least 1, is " + max);
        }
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** Waits for a free slot. */
    public void acquire() throws InterruptedException {
        slots.acquire();
    }

    public void release() {
        slots.release();
    }

    public int max() {
        return max;
    }

    /** Slots taken now. */
    public int inFlight() {
        return max - slots.availablePermits();
    }
}
