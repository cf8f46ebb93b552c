package io.rnnstreams.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-only hook: a planted native leak, so that SoakIT's resident-set check can be shown to fail (as
 * {@link TestLeak} plants a heap leak for its heap check). With the system property {@value #PROPERTY} set to N > 0,
 * a daemon thread allocates N / 10 bytes of direct (off-heap) memory every 100 ms, writes one byte into every page of
 * it so that the pages are resident, and keeps every buffer reachable for as long as the process runs; the leak stops
 * at the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, by default the maximum heap). Unset (always,
 * outside that negative control) it does nothing.
 */
final class TestNativeLeak {
    static final String PROPERTY = "rnnstreams.test.native-leak-bytes-per-second";
    /** Bytes between two touched bytes: the smallest page size of the platforms the processor runs on. */
    private static final int PAGE = 4096;
    private static final List<ByteBuffer> RETAINED = new ArrayList<>();

    private TestNativeLeak() {
    }

    static void startIfAsked() {
        long perSecond = Long.getLong(PROPERTY, 0L);
        if (perSecond <= 0) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    ByteBuffer leaked = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, perSecond / 10));
                    for (int i = 0; i < leaked.capacity(); i += PAGE) {
                        leaked.put(i, (byte) 1);
                    }
                    synchronized (RETAINED) {
                        RETAINED.add(leaked);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (OutOfMemoryError directMemoryLimit) {
                // the limit of direct memory is reached: what leaked so far stays
            }
        }, "test-native-leak");
        t.setDaemon(true);
        t.start();
    }
}
