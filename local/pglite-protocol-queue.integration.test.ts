// A connection that goes away never keeps the embedded database's one session:
// whatever it left open is rolled back and the others go on, whether it closed
// idle in a transaction, mid-batch, or while its own message was running.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "../lib/random";
import { ProtocolBatchQueue } from "./pglite-protocol-queue";

let db: PGlite;
let queue: ProtocolBatchQueue;
beforeAll(async () => {
  db = await PGlite.create();
  await db.exec("CREATE TABLE t (n int)");
  queue = new ProtocolBatchQueue(db);
});
afterAll(async () => {
  await db?.close();
});

/** A simple-protocol Query message. */
function query(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "ascii");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/** An extended-protocol Parse of an unnamed statement (a batch left open until Sync). */
function parse(sql: string): Uint8Array {
  const body = Buffer.concat([Buffer.from("\0"), Buffer.from(`${sql}\0`), Buffer.from([0, 0])]);
  const message = Buffer.alloc(5 + body.length);
  message.write("P", 0, "ascii");
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

const send = (handlerId: number, message: Uint8Array) => queue.enqueue(handlerId, message, () => undefined);

/** What PGLiteSocketHandler does when its socket closes. */
async function close(handlerId: number) {
  queue.clearQueueForHandler(handlerId);
  await queue.clearTransactionIfNeeded(handlerId);
}

async function rows(): Promise<number[]> {
  // Through the queue, as any client would: it answers only once the session is free.
  await send(900, query("SELECT 1"));
  return (await db.query<{ n: number }>("SELECT n FROM t ORDER BY n")).rows.map((r) => r.n);
}

let nextHandler = 1;
const handler = () => nextHandler++;

describe("a closed connection releases the session", () => {
  it("when it closes idle inside a transaction", async () => {
    const h = handler();
    await send(h, query("BEGIN"));
    await send(h, query("INSERT INTO t VALUES (1)"));
    await close(h);
    expect(await rows()).toEqual([]);
    expect(db.isInTransaction()).toBe(false);
  });

  it("when it closes while its own message is running inside a transaction", async () => {
    const h = handler();
    await send(h, query("BEGIN"));
    await send(h, query("INSERT INTO t VALUES (2)"));
    // enqueue starts running the message at once; the socket closes before it ends.
    const running = send(h, query("SELECT pg_sleep(0.2)")).catch(() => undefined);
    await close(h);
    await running;
    expect(await rows()).toEqual([]);
    expect(db.isInTransaction()).toBe(false);
  });

  it("when it closes while the message that opened its transaction is running", async () => {
    const h = handler();
    const running = send(h, query("BEGIN; INSERT INTO t VALUES (3)")).catch(() => undefined);
    await close(h);
    await running;
    expect(await rows()).toEqual([]);
  });

  it("when it closes in the middle of an extended-protocol batch", async () => {
    const h = handler();
    await send(h, parse("SELECT 1"));
    await close(h);
    expect(await rows()).toEqual([]);
  });

  it("keeps what a connection committed before it closed, and others' transactions whole", async () => {
    const a = handler();
    const b = handler();
    await send(a, query("BEGIN; INSERT INTO t VALUES (10); COMMIT"));
    await send(b, query("BEGIN"));
    await send(b, query("INSERT INTO t VALUES (11)"));
    const aClosing = close(a);
    await send(b, query("COMMIT"));
    await aClosing;
    expect(await rows()).toEqual([10, 11]);
    await db.exec("DELETE FROM t");
  });

  it("after many connections killed at every point, while others keep working", async () => {
    const random = prng(7);
    const committed: number[] = [];
    /** A connection killed once its COMMIT was sent may or may not have committed; killed earlier, it must not have. */
    const mayHaveCommitted = new Set<number>();
    let n = 100;
    for (let round = 0; round < 60; round++) {
      const doomed = handler();
      const survivor = handler();
      const value = n++;
      const steps = [query("BEGIN"), query(`INSERT INTO t VALUES (${value})`), query("SELECT pg_sleep(0.005)"), query("COMMIT")];
      const killAt = Math.floor(random() * steps.length);
      const inFlight: Promise<unknown>[] = [];
      // The survivor runs a whole transaction meanwhile; it must always finish.
      const kept = n++;
      const survivorDone = (async () => {
        await send(survivor, query("BEGIN"));
        await send(survivor, query(`INSERT INTO t VALUES (${kept})`));
        await send(survivor, query("COMMIT"));
      })();
      for (let i = 0; i < killAt; i++) await send(doomed, steps[i]!);
      inFlight.push(send(doomed, steps[killAt]!).catch(() => undefined));
      if (random() < 0.5) await Promise.resolve(); // sometimes the close lands after the message started, sometimes before
      await close(doomed);
      await Promise.all([survivorDone, ...inFlight]);
      committed.push(kept);
      if (killAt === steps.length - 1) mayHaveCommitted.add(value);
      await close(survivor);
    }
    const held = await rows();
    expect(held.filter((value) => !mayHaveCommitted.has(value))).toEqual(committed);
    expect(mayHaveCommitted.size).toBeGreaterThan(0);
    expect(db.isInTransaction()).toBe(false);
  });
});
