package io.rnnstreams.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Test-only hooks: planted leaks, so that SoakIT's memory checks can be shown to fail. With the system property
 * {@value #HEAP_PROPERTY} set to N > 0, a daemon thread keeps N bytes more on the heap every second (its heap check's
 * control); with {@value #NATIVE_PROPERTY} set to N > 0, one keeps N bytes more of direct (off-heap) memory every
 * second, one byte written into every page so that the pages are resident (its resident-set check's control). Each
 * allocates N / 10 bytes every 100 ms and keeps them reachable for as long as the process runs, until its memory's
 * limit (the heap, or {@code -XX:MaxDirectMemorySize}, by default the maximum heap). Unset (always, outside those
 * negative controls) they do nothing.
 */
final class TestLeaks {
    static final String HEAP_PROPERTY = "rnnstreams.test.leak-bytes-per-second";
    static final String NATIVE_PROPERTY = "rnnstreams.test.native-leak-bytes-per-second";
    /** Bytes between two touched bytes of a direct buffer: the smallest page size of the platforms we run on. */
    private static final int PAGE = 4096;
    private static final List<Object> RETAINED = new ArrayList<>();

    private TestLeaks() {
    }

    /** Starts each leak whose property is set. */
    static void startIfAsked() {
        startIfAsked(HEAP_PROPERTY, "test-leak", byte[]::new);
        startIfAsked(NATIVE_PROPERTY, "test-native-leak", TestLeaks::residentDirectBuffer);
    }

    private static ByteBuffer residentDirectBuffer(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < buffer.capacity(); i += PAGE) {
            buffer.put(i, (byte) 1);
        }
        return buffer;
    }

    private static void startIfAsked(String property, String threadName, IntFunction<Object> allocate) {
        long perSecond = Long.getLong(property, 0L);
        if (perSecond <= 0) {
            return;
        }
        int chunk = (int) Math.min(Integer.MAX_VALUE - 8, perSecond / 10);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Object leaked = allocate.apply(chunk);
                    synchronized (RETAINED) {
                        RETAINED.add(leaked);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (OutOfMemoryError limit) {
                // the memory's limit is reached: what leaked so far stays
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }
}
