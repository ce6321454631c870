package org.visutility.orchestrator.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Gives each test method that declares a {@link PolicyBed} parameter a fresh one (its own database and folder), closed after the test. */
public final class PolicyBedExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PolicyBedExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == PolicyBed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getStore(NS).getOrComputeIfAbsent("bed", k -> new Resource(c.getRequiredTestMethod().getName()), Resource.class).bed;
    }

    private static final class Resource implements ExtensionContext.Store.CloseableResource {
        final Path dir;
        final PolicyBed bed;

        Resource(String name) {
            try {
                dir = Files.createTempDirectory("policy-bed-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bed = new PolicyBed(name, dir);
        }

        @Override
        public void close() throws IOException {
            bed.close();
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
            }
        }
    }
}
