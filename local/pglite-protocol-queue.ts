// The queue that decides whose messages PGlite (one backend session) runs
// next. pglite-socket 0.2.17's own queue interleaves connections message by
// message outside transactions, so one connection's Parse can replace the
// unnamed statement another connection is about to Bind: an error when the
// parameter counts differ, and another client's query run with your
// parameters when they match. This queue keeps a connection's extended-query
// batch (Parse … Sync) and its transactions whole. It implements the three
// methods PGLiteSocketHandler calls on its `queryQueue` option.
import type { PGlite } from "@electric-sql/pglite";

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Frontend messages of the extended protocol that leave a batch open until Sync: Parse, Bind, Describe, Execute, Close, Flush.
const batchMessages = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const sync = new Uint8Array([0x53, 0, 0, 0, 4]);

export class ProtocolBatchQueue {
  private readonly queue: Pending[] = [];
  private draining = false;
  /** The connection whose batch or transaction is open: only its messages run until it ends. */
  private owner: number | null = null;
  private ownerInBatch = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
        if (index < 0) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1) as [Pending];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        this.ownerInBatch = batchMessages.has(item.message[0]!);
        this.owner = this.ownerInBatch || this.db.isInTransaction() ? item.handlerId : null;
      }
    } finally {
      this.draining = false;
    }
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.handlerId !== handlerId) continue;
      this.queue[i]!.reject(new Error("connection closed"));
      this.queue.splice(i, 1);
    }
  }

  /** A connection went away mid-batch or mid-transaction: end both, so the session is clean for the next one. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      if (this.ownerInBatch) await this.db.execProtocolRaw(sync);
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    });
    this.owner = null;
    this.ownerInBatch = false;
    void this.drain();
  }
}
