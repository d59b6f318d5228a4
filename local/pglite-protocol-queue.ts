// The queue that decides whose messages PGlite (one backend session) runs
// next. pglite-socket 0.2.17's own queue interleaves connections message by
// message outside transactions, so one connection's Parse can replace the
// unnamed statement another connection is about to Bind: an error when the
// parameter counts differ, and another client's query run with your
// parameters when they match. This queue keeps a connection's extended-query
// batch (Parse … Sync) and its transactions whole. It implements the three
// methods PGLiteSocketHandler calls on its `queryQueue` option.
//
// A connection that goes away (its client killed) must never keep the session:
// whatever it left open (a batch, a transaction) is ended and the queue moves
// on, also when its last message was still executing as the socket closed, in
// which case the transaction it opened is only seen once that message ends.
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
/** A simple-protocol Query of ROLLBACK. Sent raw: inside runExclusive, db.exec would wait for the lock it is holding. */
const rollback = (() => {
  const text = new TextEncoder().encode("ROLLBACK\0");
  const message = new Uint8Array(5 + text.length);
  message[0] = 0x51;
  new DataView(message.buffer).setInt32(1, 4 + text.length);
  message.set(text, 5);
  return message;
})();

export class ProtocolBatchQueue {
  private readonly queue: Pending[] = [];
  private draining = false;
  /** The connection whose batch or transaction is open: only its messages run until it ends. */
  private owner: number | null = null;
  private ownerInBatch = false;
  /** The connection whose message PGlite is running now. */
  private executing: number | null = null;
  /** Connections that went away while they held the session or had a message running: released as soon as that ends. */
  private readonly closed = new Set<number>();

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
        if (this.owner !== null && this.closed.has(this.owner)) await this.release(this.owner);
        const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
        if (index < 0) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1) as [Pending];
        let bytes = 0;
        this.executing = item.handlerId;
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
        } finally {
          this.executing = null;
        }
        this.ownerInBatch = batchMessages.has(item.message[0]!);
        this.owner = this.ownerInBatch || this.db.isInTransaction() ? item.handlerId : null;
        // Its connection closed while the message ran: what it opened is released now, not when it speaks again (it never will).
        if (this.closed.has(item.handlerId)) await this.release(item.handlerId);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The connection closed: its queued messages are dropped (PGLiteSocketHandler calls this first, then clearTransactionIfNeeded). */
  clearQueueForHandler(handlerId: number): void {
    this.closed.add(handlerId);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.handlerId !== handlerId) continue;
      this.queue[i]!.reject(new Error("connection closed"));
      this.queue.splice(i, 1);
    }
  }

  /** A connection went away: end what it holds now, or, if its message is still running, as soon as that ends. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.closed.add(handlerId);
    if (this.executing === handlerId) return; // drain releases it when the message ends
    await this.release(handlerId);
    void this.drain();
  }

  /** Ends the batch and transaction a closed connection left open, so the session is clean for the next one. */
  private async release(handlerId: number): Promise<void> {
    await this.db.runExclusive(async () => {
      // Checked inside the lock: by now the session may belong to nobody, or already to another connection.
      if (this.owner !== handlerId) return;
      if (this.ownerInBatch) await this.db.execProtocolRaw(sync);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(rollback);
      this.owner = null;
      this.ownerInBatch = false;
    });
    this.closed.delete(handlerId);
  }
}
