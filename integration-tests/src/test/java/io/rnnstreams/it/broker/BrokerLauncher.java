package io.rnnstreams.it.broker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Main class of the broker JVM that {@link KafkaBroker} starts: runs {@code args[0]}'s main (normally
 * {@code kafka.Kafka}) with the remaining arguments, and exits the JVM (so Kafka's shutdown hook
 * stops the broker cleanly) as soon as its standard input reaches end of file. Standard input is a
 * pipe from the test JVM, which never writes to it: it reaches end of file when the test JVM dies,
 * even by SIGKILL, so a killed test run does not leave a broker behind.
 *
 * <p>Self-contained on purpose (only java.base, no nested or anonymous classes): KafkaBroker copies
 * this single class file next to the broker's data and puts it on the broker's classpath.
 */
public final class BrokerLauncher {

    private BrokerLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        Thread watchdog = new Thread(BrokerLauncher::exitWhenParentGone, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentGone() {
        byte[] buffer = new byte[256];
        try {
            InputStream in = System.in;
            while (in.read(buffer) >= 0) {
                // the parent never writes; keep waiting for end of file
            }
        } catch (IOException e) {
            // treated as end of file
        }
        System.err.println("BrokerLauncher: standard input closed (the test JVM is gone); shutting the broker down");
        System.exit(0);
    }
}
