package io.rnnstreams.learner;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of deserialised per-key models that one process may keep in memory, shared by every stream task
 * (and so every stream thread) of the process: key scope's cache is per task, and without a shared bound
 * partitions x entries x model size grew past the heap (6 partitions x 1,000 models x ~140 KB at -Xmx768m died
 * of OutOfMemoryError). A task's cache evicts its own least recently used models while the process is over the
 * budget, keeping at least the model in use, so the process holds at most {@code limit} plus one model per task.
 * Eviction changes no result: an evicted model is read back from the store. Thread-safe.
 */
public final class ModelCacheBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit bytes, {@code >= 1} */
    public ModelCacheBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("model cache budget must be >= 1 byte, got " + limit);
        }
        this.limit = limit;
    }

    /** A budget that never evicts (a single in-process run, tests). */
    public static ModelCacheBudget unbounded() {
        return new ModelCacheBudget(Long.MAX_VALUE);
    }

    /** The bound in bytes. */
    public long limit() {
        return limit;
    }

    /** Bytes of models cached now, all tasks together. */
    public long used() {
        return used.get();
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    boolean over() {
        return used.get() > limit;
    }
}
