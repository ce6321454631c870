SELECT watermark FROM orchestrator.collector_watermark WHERE collector = :collector
