package org.visutility.orchestrator.policy.spec;

import java.util.Collection;
import java.util.Optional;

/** The known key a typo most likely meant ({@code belw} → {@code below}): at most two edits away, and closer than any other. */
final class NearestKey {
    private static final int MAX_EDITS = 2;

    private NearestKey() {
    }

    static Optional<String> to(String typed, Collection<String> known) {
        String best = null;
        int bestEdits = MAX_EDITS + 1;
        boolean tie = false;
        for (String k : known) {
            int edits = edits(typed, k);
            if (edits < bestEdits) {
                best = k;
                bestEdits = edits;
                tie = false;
            } else if (edits == bestEdits) {
                tie = true;
            }
        }
        // a short key is two edits from too many others to mean one of them
        if (best == null || tie || bestEdits >= Math.max(2, Math.min(typed.length(), best.length()) - 1)) return Optional.empty();
        return Optional.of(best);
    }

    /** Levenshtein distance, a swap of two neighbouring letters counted as one edit. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
