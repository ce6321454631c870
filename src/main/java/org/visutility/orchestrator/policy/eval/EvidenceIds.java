package org.visutility.orchestrator.policy.eval;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The snapshot ids a window read, as an unmodifiable list over a primitive array. A pass over a
 * fleet keeps one per model until it has decided; a list of boxed ids would cost an object per id
 * more, which the garbage collector copies while the pass runs. Equal to any list of the same ids.
 */
final class EvidenceIds extends AbstractList<Long> implements RandomAccess {
    private static final EvidenceIds NONE = new EvidenceIds(new long[0]);

    private final long[] ids;

    private EvidenceIds(long[] ids) {
        this.ids = ids;
    }

    /**
     * The ids of comma-separated text (none for null or empty text), parsed in place.
     *
     * @throws NumberFormatException if a piece is not a number
     */
    static EvidenceIds parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isEmpty()) return NONE;
        int count = 1;
        for (int i = 0; i < commaSeparated.length(); i++) {
            if (commaSeparated.charAt(i) == ',') count++;
        }
        long[] ids = new long[count];
        int from = 0;
        for (int n = 0; n < count; n++) {
            int comma = commaSeparated.indexOf(',', from);
            int to = comma < 0 ? commaSeparated.length() : comma;
            ids[n] = Long.parseLong(commaSeparated, from, to, 10);
            from = to + 1;
        }
        return new EvidenceIds(ids);
    }

    /**
     * The ids of comma-separated text given as its bytes (ASCII digits and commas; none for null or
     * empty), parsed without making a String of them first.
     *
     * @throws NumberFormatException if a piece is not a number
     */
    static EvidenceIds parse(byte[] commaSeparated) {
        if (commaSeparated == null || commaSeparated.length == 0) return NONE;
        int count = 1;
        for (byte b : commaSeparated) {
            if (b == ',') count++;
        }
        long[] ids = new long[count];
        int n = 0;
        long id = 0;
        int digits = 0;
        for (byte b : commaSeparated) {
            if (b == ',') {
                if (digits == 0) throw new NumberFormatException("an empty id in " + new String(commaSeparated, java.nio.charset.StandardCharsets.US_ASCII));
                ids[n++] = id;
                id = 0;
                digits = 0;
            } else if (b >= '0' && b <= '9') {
                try {
                    id = Math.addExact(Math.multiplyExact(id, 10), b - '0');
                } catch (ArithmeticException e) {
                    throw new NumberFormatException("an id beyond a bigint in " + new String(commaSeparated, java.nio.charset.StandardCharsets.US_ASCII));
                }
                digits++;
            } else {
                throw new NumberFormatException("not an id list: " + new String(commaSeparated, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        if (digits == 0) throw new NumberFormatException("an empty id in " + new String(commaSeparated, java.nio.charset.StandardCharsets.US_ASCII));
        ids[n] = id;
        return new EvidenceIds(ids);
    }

    @Override
    public Long get(int index) {
        return ids[index];
    }

    @Override
    public int size() {
        return ids.length;
    }
}
