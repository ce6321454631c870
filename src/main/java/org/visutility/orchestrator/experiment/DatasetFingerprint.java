package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.tuning.trainer.DatasetSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A dataset as lineage records it: where it is and, when the orchestrator can read it, its size
 * and SHA-256 (read once, streaming, at the experiment's start).
 */
public record DatasetFingerprint(String location, OptionalLong bytes, Optional<String> sha256) {
    private static final int BUFFER = 1 << 16;

    public static DatasetFingerprint of(DatasetSource source) {
        try {
            Optional<InputStream> opened = source.open();
            if (opened.isEmpty()) return new DatasetFingerprint(source.location(), OptionalLong.empty(), Optional.empty());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            try (InputStream in = new DigestInputStream(opened.get(), sha)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) bytes += n;
            }
            return new DatasetFingerprint(source.location(), OptionalLong.of(bytes), Optional.of(HexFormat.of().formatHex(sha.digest())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dataset " + source.location() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
