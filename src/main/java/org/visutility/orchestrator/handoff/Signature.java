package org.visutility.orchestrator.handoff;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The webhook's signature: {@code sha256=} and the lower-case hex HMAC-SHA256 of the exact body
 * bytes, keyed with promotion_webhook_secret (UTF-8), sent as {@value #HEADER}. A receiver computes
 * the same over the raw body it read and compares in constant time ({@link #verify}).
 */
public final class Signature {
    public static final String HEADER = "X-Orchestrator-Signature";
    public static final String DELIVERY_HEADER = "X-Orchestrator-Delivery";
    public static final String EVENT_HEADER = "X-Orchestrator-Event";
    private static final String PREFIX = "sha256=";

    private Signature() {
    }

    /** The header's value for {@code body} under {@code secret}. */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e.getMessage(), e);
        }
    }

    /** Whether {@code header} is the signature of {@code body} under {@code secret} (constant-time comparison). */
    public static boolean verify(byte[] body, String secret, String header) {
        if (header == null) return false;
        return MessageDigest.isEqual(sign(body, secret).getBytes(StandardCharsets.US_ASCII), header.getBytes(StandardCharsets.US_ASCII));
    }
}
