package org.visutility.orchestrator.collect;

/** The path a batch came by, as orchestrator.ingest_batch.channel records it. */
public enum IngestChannel {
    HTTP("http"), FILE("file"), SQL("sql"), DEMO("demo");

    private final String column;

    IngestChannel(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
