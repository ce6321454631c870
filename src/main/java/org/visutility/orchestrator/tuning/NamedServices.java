package org.visutility.orchestrator.tuning;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Implementations of one SPI found with {@link ServiceLoader} ({@code META-INF/services}), by
 * name. Users add their own strategies, trainers and pruners by putting a jar with such a file
 * on the class path; the engine never changes.
 */
public final class NamedServices<P> {
    private final String kind;
    private final Map<String, P> byName;

    private NamedServices(String kind, Map<String, P> byName) {
        this.kind = kind;
        this.byName = byName;
    }

    public static <P> NamedServices<P> load(Class<P> type, String kind, Function<P, String> name) {
        Map<String, P> byName = new TreeMap<>();
        for (P provider : ServiceLoader.load(type, NamedServices.class.getClassLoader())) {
            P previous = byName.putIfAbsent(name.apply(provider), provider);
            if (previous != null) {
                throw new IllegalStateException("two " + kind + "s are named '" + name.apply(provider) + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return new NamedServices<>(kind, byName);
    }

    public Optional<P> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** "unknown strategy 'tpe'; known: grid, random". */
    public String unknown(String name) {
        return "unknown " + kind + " '" + name + "'; known: " + String.join(", ", names());
    }
}
