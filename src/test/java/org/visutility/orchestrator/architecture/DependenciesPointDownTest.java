package org.visutility.orchestrator.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The packages as layers (docs/architecture.md): each may use only the layers below it, never one
 * beside it or above it, so a change to a capability never reaches down into what it stands on.
 */
class DependenciesPointDownTest {
    private static final String ROOT = "org.visutility.orchestrator";

    /** From the ground up; packages on one floor may not use each other either. */
    private static final List<List<String>> FLOORS = List.of(
            List.of("config"),
            List.of("core"),
            List.of("store"),
            List.of("schedule", "outbox"),
            List.of("node"),
            List.of("model"),
            List.of("tuning", "collect"),
            List.of("lineage", "handoff", "reference"),
            List.of("experiment"),
            List.of("policy", "ops"),
            List.of("web"),
            List.of("bench"),
            List.of("app"));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void noPackageUsesAPackageOnItsOwnFloorOrAbove() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> floor : FLOORS) {
            for (String p : floor) layers = layers.layer(p).definedBy(ROOT + "." + p + "..");
        }
        for (int i = 0; i < FLOORS.size(); i++) {
            List<String> above = new ArrayList<>();
            for (int j = i + 1; j < FLOORS.size(); j++) above.addAll(FLOORS.get(j));
            for (String p : FLOORS.get(i)) {
                layers = above.isEmpty()
                        ? layers.whereLayer(p).mayNotBeAccessedByAnyLayer()
                        : layers.whereLayer(p).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        layers.check(classes);
    }

    @Test
    void everyPackageHasAFloor() {
        List<String> known = new ArrayList<>();
        FLOORS.forEach(known::addAll);
        noClasses().should().resideOutsideOfPackages(known.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new))
                .because("a new package needs its place in docs/architecture.md and in FLOORS")
                .check(classes);
    }

    @Test
    void nothingImportsTheWiring() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".app..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".app..")
                .check(classes);
    }
}
