-- Sent with FinishNewSnapshotsBatch in the same round trip (NewSnapshotsCopy): the batch's
-- transaction commits, durably, as soon as the closing statement succeeded; when it fails, the
-- server skips this and the transaction is rolled back. The driver's commit after it finds no
-- transaction open and sends nothing.
COMMIT
