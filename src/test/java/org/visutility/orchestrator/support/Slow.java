package org.visutility.orchestrator.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts child JVMs or runs for tens of seconds (two nodes, kill -9, the demo, a
 * benchmark). The fast suite (surefire, {@code mvn test}) leaves it out; failsafe runs it in
 * {@code mvn verify}'s integration-test phase, after the fast suite passed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Slow.TAG)
public @interface Slow {
    String TAG = "slow";
}
