package org.visutility.orchestrator.config;

/** The named defaults of the promotion hand-off settings. */
public final class PromotionDefaults {
    /** One webhook POST or one run of the command: long enough for a deploy hook to queue its work, short enough to retry soon. */
    public static final String TIMEOUT = "10s";

    private PromotionDefaults() {
    }
}
