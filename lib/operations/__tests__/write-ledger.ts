// What a tenant's items must be after operations ran while it kept writing:
// every write the data plane acknowledged, judged the way DynamoDB orders them.
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { defaultKeyScheme, type KeyScheme } from "../../storage/key-scheme";
import { itemHash, itemKey } from "../../storage/tenant-partitions";

/**
 * The expected state of each key, read against what the table held. A write is certainly overwritten only by a
 * write issued after it was acknowledged (the change stamp is set just before the send); writes in flight together
 * may land in either order. The tenant keeps writing while its items are read, so a write acknowledged after the
 * read began may or may not show: only writes acknowledged before it began must.
 */
export class WriteLedger {
  private readonly writesByKey = new Map<string, Write[]>();
  private readonly writesPerTable = new Map<string, number>();

  constructor(
    initial: Map<string, string>,
    private readonly keyScheme: KeyScheme = defaultKeyScheme,
  ) {
    for (const [key, hash] of initial) this.writesByKey.set(key, [{ stamp: 0, ackedAt: 0, hash, where: "initial" }]);
  }

  acknowledged(item: Record<string, AttributeValue>, where: { tableName: string; routingVersion: number }, ackedAt = Date.now()): void {
    const key = itemKey(this.keyScheme, item);
    const writes = this.writesByKey.get(key) ?? [];
    writes.push({
      stamp: Number(item[this.keyScheme.changeStamp]?.N ?? 0),
      ackedAt,
      hash: itemHash(item),
      where: `${where.tableName} (routing v${where.routingVersion})`,
    });
    this.writesByKey.set(key, writes);
    this.writes++;
    this.writesPerTable.set(where.tableName, (this.writesPerTable.get(where.tableName) ?? 0) + 1);
  }

  /** Acknowledged writes so far. */
  writes = 0;

  /**
   * Reads the tenant's items (key → content hash) while it keeps writing, and what in them contradicts the ledger.
   * `oldestWriteInFlight` is the stamp of the tenant's oldest write not yet answered (Infinity when none): once it is
   * later than the read's end, every write that can have landed during the read has been acknowledged here.
   */
  async problemsIn(read: () => Promise<Map<string, string>>, oldestWriteInFlight: () => number): Promise<string[]> {
    const readStartedAt = Date.now();
    const actual = await read();
    const readEndedAt = Date.now();
    while (oldestWriteInFlight() <= readEndedAt) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.mismatches(actual, readStartedAt);
  }

  /** Acknowledged writes that went to `tableName`. */
  writesTo(tableName: string): number {
    return this.writesPerTable.get(tableName) ?? 0;
  }

  /** What in `actual` (read from `readStartedAt` on) contradicts the acknowledged writes. */
  mismatches(actual: Map<string, string>, readStartedAt: number): string[] {
    const problems: string[] = [];
    for (const [key, writes] of this.writesByKey) {
      const settled = writes.filter((w) => w.ackedAt < readStartedAt);
      // A write may show unless one issued after its acknowledgement certainly landed before the read began.
      const possible = writes.filter((w) => !settled.some((later) => later.stamp > w.ackedAt));
      const hash = actual.get(key);
      if (!hash) {
        if (settled.length > 0) problems.push(`${key}: lost (${settled.map(describeWrite).join("; ")})`);
      } else if (!possible.some((w) => w.hash === hash)) {
        const held = writes.find((w) => w.hash === hash);
        problems.push(
          `${key}: holds ${held ? describeWrite(held) : "an item never written"}; expected one of ${possible.map(describeWrite).join("; ")}`,
        );
      }
    }
    for (const key of actual.keys()) if (!this.writesByKey.has(key)) problems.push(`${key}: never written`);
    return problems;
  }
}

interface Write {
  stamp: number;
  ackedAt: number;
  hash: string;
  where: string;
}

const describeWrite = (w: Write) =>
  w.stamp ? `written at ${w.stamp} to ${w.where}, acknowledged ${w.ackedAt - w.stamp} ms later` : "the initial item";

/**
 * A tenant's acknowledged writes when restores may replace its items: what it must hold is a base (its items at
 * the start, or the backup a restore put back) overwritten by every write acknowledged under routing from the
 * base's version on (a restore's unfreeze: writes issued under older versions landed before its freeze, and the
 * restore replaced them), or (a staged restore) by every write stamped since the restore began. Migrations keep
 * every write, so they leave the base as it is.
 */
export class WriteJournal {
  private readonly journal: {
    item: Record<string, AttributeValue>;
    where: { tableName: string; routingVersion: number };
    ackedAt: number;
  }[] = [];
  /** The base, and which writes overwrite it: under routing from `sinceVersion` on, and stamped from `sinceStamp` on or acknowledged after the base was set (the `fromIndex`-th on). */
  private base: { digest: Map<string, string>; sinceVersion: number; sinceStamp: number; fromIndex: number };

  constructor(
    initial: Map<string, string>,
    private readonly keyScheme: KeyScheme = defaultKeyScheme,
  ) {
    this.base = { digest: initial, sinceVersion: 0, sinceStamp: 0, fromIndex: 0 };
  }

  acknowledged(item: Record<string, AttributeValue>, where: { tableName: string; routingVersion: number }, ackedAt = Date.now()): void {
    this.journal.push({ item, where, ackedAt });
  }

  /** A restore put `digest` back and lifted its freeze with routing version `unfrozenVersion`. */
  restored(digest: Map<string, string>, unfrozenVersion: number): void {
    this.base = { digest, sinceVersion: unfrozenVersion, sinceStamp: 0, fromIndex: 0 };
  }

  /** A staged restore put `digest` in a new placement and copied every write stamped from `fromStamp` on over it. */
  restoredStaged(digest: Map<string, string>, fromStamp: number): void {
    this.base = { digest, sinceVersion: 0, sinceStamp: fromStamp, fromIndex: this.journal.length };
  }

  /** Writes acknowledged so far. */
  get writes(): number {
    return this.journal.length;
  }

  /** Writes acknowledged from the `from`-th on, under routing version `version` or later. */
  writesSince(from: number, version: number): number {
    return this.journal.slice(from).filter((w) => w.where.routingVersion >= version).length;
  }

  /** The ledger the tenant's items are judged by, as of now. */
  ledger(): WriteLedger {
    const ledger = new WriteLedger(this.base.digest, this.keyScheme);
    for (const [index, w] of this.journal.entries())
      if (
        w.where.routingVersion >= this.base.sinceVersion &&
        (index >= this.base.fromIndex || Number(w.item[this.keyScheme.changeStamp]?.N ?? 0) >= this.base.sinceStamp)
      )
        ledger.acknowledged(w.item, w.where, w.ackedAt);
    return ledger;
  }
}
