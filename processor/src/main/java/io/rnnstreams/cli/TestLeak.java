package io.rnnstreams.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A test-only hook: a planted heap leak, so that SoakIT's memory limit can be shown to fail. With the system
 * property {@value #PROPERTY} set to N > 0, a daemon thread keeps N bytes more on the heap every second for as long
 * as the process runs; unset (always, outside that negative control) it does nothing.
 */
final class TestLeak {
    static final String PROPERTY = "rnnstreams.test.leak-bytes-per-second";
    private static final List<byte[]> RETAINED = new ArrayList<>();

    private TestLeak() {
    }

    static void startIfAsked() {
        long perSecond = Long.getLong(PROPERTY, 0L);
        if (perSecond <= 0) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    synchronized (RETAINED) {
                        RETAINED.add(new byte[(int) Math.min(Integer.MAX_VALUE - 8, perSecond / 10)]);
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-leak");
        t.setDaemon(true);
        t.start();
    }
}
