package io.rnnstreams.avro;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds this project's generated record classes to Avro's trusted classes, so that they decode without the
 * system property {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Avro 1.12 refuses to instantiate a class while reading unless {@link ClassSecurityValidator}'s global
 * predicate trusts it; by default only the classes and packages named in the system properties
 * {@code org.apache.avro.SERIALIZABLE_CLASSES} / {@code SERIALIZABLE_PACKAGES} are trusted, so
 * {@code Prediction.getDecoder().decode(bytes)} would throw {@code SecurityException: Forbidden
 * io.rnnstreams.avro.Prediction!}. Avro's documented alternative to the properties is its API
 * ({@link ClassSecurityValidator#setGlobal} with a {@link ClassSecurityValidator#composite composite}
 * predicate), which is what {@link #trust} uses.
 *
 * <p>Every generated class calls {@link #trust} from its static initialiser (the project's copy of Avro's
 * {@code record.vm} template, {@code src/main/avro-templates}), and {@link SingleObjectCodec} calls it too. Only
 * the named types of the given schema are added (by exact class name), and whatever the global predicate
 * trusted before stays trusted. An application that later replaces the global predicate with
 * {@link ClassSecurityValidator#setGlobal} must compose it with the previous one to keep these classes trusted.
 */
public final class TrustedClasses {
    private static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
    private static final ClassSecurityPredicate PREDICATE = type -> NAMES.contains(type.getName());
    /** The global predicate this class last installed (guarded by the class lock). */
    private static ClassSecurityPredicate installed;

    private TrustedClasses() {
    }

    /**
     * Trusts the generated class of every named type (record, enum, fixed) in {@code schema}, the schema's own
     * included. Idempotent and thread-safe.
     */
    public static synchronized void trust(Schema schema) {
        collectNamedTypes(schema, NAMES);
        if (ClassSecurityValidator.getGlobal() != installed) {
            installed = ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), PREDICATE);
            ClassSecurityValidator.setGlobal(installed);
        }
    }

    private static void collectNamedTypes(Schema schema, Set<String> classNames) {
        switch (schema.getType()) {
            case RECORD -> {
                if (classNames.add(SpecificData.getClassName(schema))) {
                    schema.getFields().forEach(field -> collectNamedTypes(field.schema(), classNames));
                }
            }
            case ENUM, FIXED -> classNames.add(SpecificData.getClassName(schema));
            case ARRAY -> collectNamedTypes(schema.getElementType(), classNames);
            case MAP -> collectNamedTypes(schema.getValueType(), classNames);
            case UNION -> schema.getTypes().forEach(branch -> collectNamedTypes(branch, classNames));
            default -> { }
        }
    }
}
