package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The database's drift measures against values worked out by hand (the arithmetic is in the
 * comments) and the chi-square p-value against published critical values.
 */
@ExtendWith(PostgresExtension.class)
class DriftMethodsMatchWorkedExamplesTest {

    private static Map<String, Object> score(TestDatabase db, String refKind, String refEdges, String refCategories, String refCounts,
                                             String kind, String edges, String categories, String counts) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (s).* FROM (SELECT orchestrator.drift_score(
                            orchestrator.drift_reference_counts(:rk, :rc::bigint[]),
                            orchestrator.drift_align(:rk, :re::float8[], :rcat::text[], :k, :e::float8[], :cat::text[], :c::bigint[]),
                            :re::float8[]) AS s) x""")
                .bind("rk", refKind).bind("re", refEdges).bind("rcat", refCategories).bind("rc", refCounts)
                .bind("k", kind).bind("e", edges).bind("cat", categories).bind("c", counts)
                .mapToMap().one());
    }

    private static double d(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).doubleValue();
    }

    @Test
    void aNumericShiftScoresAsComputedByHand(TestDatabase db) {
        // reference q = (.1, .2, .3, .4), production p = (.4, .3, .2, .1), bins [0,1) [1,2) [2,3) [3,4]
        Map<String, Object> s = score(db, "numeric", "{0,1,2,3,4}", null, "{10,20,30,40}", "numeric", "{0,1,2,3,4}", null, "{40,30,20,10}");
        // PSI = sum (p - q) ln(p/q) = .3 ln 4 + .1 ln 1.5 + (-.1) ln(2/3) + (-.3) ln .25 = 2 (.3 x 1.3862944 + .1 x 0.4054651) = 0.9128696
        assertThat(d(s, "psi")).isCloseTo(0.9128696, within(1e-6));
        // m = (.25, .25, .25, .25); KL(p||m) = .4 log2 1.6 + .3 log2 1.2 + .2 log2 .8 + .1 log2 .4
        //   = .2712288 + .0789102 - .0643856 - .1321928 = .1535606 = KL(q||m) by symmetry; JS distance = sqrt(.1535606) = 0.3918681
        assertThat(d(s, "jensen_shannon")).isCloseTo(0.3918681, within(1e-6));
        // cumulative P = (.4, .7, .9), Q = (.1, .3, .6); midpoints 1 apart: W1 = .3 + .4 + .3 = 1.0; over the range 4: 0.25
        assertThat(d(s, "wasserstein")).isCloseTo(0.25, within(1e-12));
        // N = 100, E = (10, 20, 30, 40): X2 = 900/10 + 100/20 + 100/30 + 900/40 = 90 + 5 + 3.3333 + 22.5 = 120.8333, df 3
        assertThat(d(s, "chi_square")).isCloseTo(120.8333333, within(1e-6));
        assertThat(s.get("chi_square_df")).isEqualTo(3);
        // df 3: Q = erfc(sqrt(x/2)) + sqrt(2x/pi) e^(-x/2) = 4.2e-28 + 8.7710 x 5.7484e-27 = 5.1e-26
        assertThat(d(s, "chi_square_p")).isCloseTo(5.10e-26, within(0.02e-26));
    }

    @Test
    void aCategoricalShiftComparesByValueWithAnOutsideBucket(TestDatabase db) {
        // reference {a: 50, b: 50}; production {a: 30, c: 20}: buckets (a, b, outside) p = (.6, 0, .4), q = (.5, .5, 0)
        Map<String, Object> s = score(db, "categorical", null, "{a,b}", "{50,50}", "categorical", null, "{a,c}", "{30,20}");
        // PSI with proportions floored at 1e-4: .1 ln 1.2 + (1e-4 - .5) ln(1e-4/.5) + (.4 - 1e-4) ln(.4/1e-4)
        //   = .0182322 + 4.2577449 + 3.3167904 = 7.5927675
        assertThat(d(s, "psi")).isCloseTo(7.5927675, within(1e-6));
        // m = (.55, .25, .2); KL(p||m) = .6 log2(.6/.55) + .4 log2 2 = .0753185 + .4 = .4753185;
        // KL(q||m) = .5 log2(.5/.55) + .5 log2 2 = -.0687517 + .5 = .4312483; JSD = .4532834, distance 0.6732633
        assertThat(d(s, "jensen_shannon")).isCloseTo(0.6732633, within(1e-6));
        assertThat(s.get("wasserstein")).as("categorical has no order").isNull();
        // N = 50, E = 50 max(q, 1e-4) = (25, 25, .005): 25/25 + 625/25 + 19.995^2/.005 = 1 + 25 + 79960.005 = 79986.005, df 2
        assertThat(d(s, "chi_square")).isCloseTo(79986.005, within(1e-6));
        assertThat(s.get("chi_square_df")).isEqualTo(2);
        assertThat(d(s, "chi_square_p")).isEqualTo(0.0);
    }

    @Test
    void theSameProportionsInASmallWindowDoNotReachASmallPValue(TestDatabase db) {
        // production (1, 1, 1, 1) against q = (.1, .2, .3, .4): E = (.4, .8, 1.2, 1.6),
        // X2 = .36/.4 + .04/.8 + .04/1.2 + .36/1.6 = .9 + .05 + .0333 + .225 = 1.2083, df 3, p = 0.751
        Map<String, Object> small = score(db, "numeric", "{0,1,2,3,4}", null, "{10,20,30,40}", "numeric", "{0,1,2,3,4}", null, "{1,1,1,1}");
        assertThat(d(small, "chi_square")).isCloseTo(1.2083333, within(1e-6));
        assertThat(d(small, "chi_square_p")).isCloseTo(0.751, within(0.001));
        // the same proportions 100 times over: X2 = 120.83, p ~ 5e-26
        Map<String, Object> large = score(db, "numeric", "{0,1,2,3,4}", null, "{10,20,30,40}", "numeric", "{0,1,2,3,4}", null,
                "{100,100,100,100}");
        assertThat(d(large, "chi_square_p")).isLessThan(1e-20);
        // PSI does not see the sample size: both windows have proportions (.25, .25, .25, .25)
        assertThat(d(small, "psi")).isCloseTo(d(large, "psi"), within(1e-12));
    }

    @Test
    void histogramsOnOtherEdgesAreNotComparable(TestDatabase db) {
        Map<String, Object> s = score(db, "numeric", "{0,1,2,3,4}", null, "{10,20,30,40}", "numeric", "{0,1,2,3,5}", null, "{40,30,20,10}");
        assertThat(s.get("psi")).isNull();
        assertThat(s.get("chi_square_p")).isNull();
    }

    @Test
    void theChiSquarePValueMatchesPublishedCriticalValues(TestDatabase db) {
        // upper-tail critical values of the chi-square distribution (NIST/SEMATECH e-Handbook, table 1.3.6.7.4)
        Object[][] table = {{3.841, 1, 0.05}, {6.635, 1, 0.01}, {9.488, 4, 0.05}, {11.070, 5, 0.05}, {15.086, 5, 0.01},
                {30.144, 19, 0.05}, {36.191, 19, 0.01}, {124.342, 100, 0.05}};
        for (Object[] row : table) {
            double p = db.jdbi().withHandle(h -> h.createQuery("SELECT orchestrator.chi_square_p(:x, :df)")
                    .bind("x", (double) row[0]).bind("df", (int) row[1]).mapTo(Double.class).one());
            assertThat(p).as("x = %s, df = %s", row[0], row[1]).isCloseTo((double) row[2], within(0.0002));
        }
    }
}
