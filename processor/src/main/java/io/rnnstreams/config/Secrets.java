package io.rnnstreams.config;

import java.util.Locale;

/**
 * Which setting values are secrets, and hiding them in text meant for people (configuration listings,
 * command-line error messages). A value is secret when its key contains {@code password}, {@code secret} or
 * {@code jaas} (case-insensitive), or when Kafka types the setting as a PASSWORD (for example
 * {@code ssl.keystore.key}, {@code ssl.truststore.certificates}), with or without a client prefix.
 */
public final class Secrets {
    /** What a secret value is printed as. */
    public static final String HIDDEN = "[hidden]";

    private Secrets() {
    }

    /** Whether the value of this key must not be printed. */
    public static boolean isSecret(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas")
                || KafkaSettings.isPasswordType(key.trim());
    }

    /**
     * {@code text} with the secret values among the command-line arguments {@code args} replaced by
     * {@value #HIDDEN}: the value of every {@code KEY=VALUE} argument whose key is secret, and an argument
     * that directly follows a bare secret key (as in {@code --set ssl.key.password hunter2}, a forgotten '=').
     */
    public static String mask(String text, String... args) {
        String masked = text;
        for (int i = 0; i < args.length; i++) {
            String arg = withoutOption(args[i]);
            int eq = arg.indexOf('=');
            String value = null;
            if (eq > 0 && isSecret(arg.substring(0, eq))) {
                value = arg.substring(eq + 1);
            } else if (eq < 0 && i > 0) {
                String previous = withoutOption(args[i - 1]);
                if (previous.indexOf('=') < 0 && isSecret(previous)) {
                    value = arg;
                }
            }
            if (value != null && !value.isEmpty()) {
                masked = masked.replace(value, HIDDEN);
            }
        }
        return masked;
    }

    /** {@code --set=ssl.key.password=x} -> {@code ssl.key.password=x}: the text after an option's own '='. */
    private static String withoutOption(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("-") && eq >= 0 ? arg.substring(eq + 1) : arg;
    }
}
