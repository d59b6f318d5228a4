// The write journal's items (lib/routing/journal-entry.ts) and when the console may rely on a journal (lib/routing/journal.ts).
import { describe, expect, it } from "vitest";
import { journalItemKeys, journalItems, journalKeysOf, journalPartition, journalSortKeyFrom, journalTableFor } from "./journal-entry";
import { journalTrustOf } from "./journal";
import { readerLeaseMs, readerSchema } from "./reader-state";

const key = (n: number) => ({ pk: { S: "acme#orders" }, sk: { S: `order-${n}` } });

describe("journal items", () => {
  it("name a write's keys, written and deleted, in items of at most 200 keys", () => {
    const written = Array.from({ length: 390 }, (_, i) => key(i));
    const deleted = Array.from({ length: 20 }, (_, i) => key(1_000 + i));
    const items = journalItems("op-1", "reader-a", 7, 1_764_000_000_123, { written, deleted });
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item.pk).toEqual({ S: journalPartition("op-1") });
      const keys = journalKeysOf(item);
      expect(keys.written.length + keys.deleted.length).toBeLessThanOrEqual(journalItemKeys);
    }
    // Distinct sort keys (one write's items never overwrite each other), all from the write's stamp.
    expect(new Set(items.map((item) => item.sk!.S)).size).toBe(3);
    for (const item of items) expect(item.sk!.S! >= journalSortKeyFrom(1_764_000_000_123)).toBe(true);
    const back = items.map(journalKeysOf);
    expect(back.flatMap((k) => k.written)).toEqual(written);
    expect(back.flatMap((k) => k.deleted)).toEqual(deleted);
    expect(items[0]!.expiresAt).toEqual({ N: String(1_764_000_000 + 7 * 24 * 3600) });
  });

  it("sort by change stamp as strings, so a query from a stamp finds exactly the writes stamped at or after it", () => {
    const sk = (stamp: number) => journalItems("op", "r", 1, stamp, { written: [key(1)], deleted: [] })[0]!.sk!.S!;
    const from = journalSortKeyFrom(1_000_000);
    expect(sk(999_999) < from).toBe(true);
    expect(sk(1_000_000) >= from).toBe(true);
    expect(sk(10_000_000_000_000) >= from).toBe(true);
  });

  it("live in a table beside the readers table", () => {
    expect(journalTableFor("tsc-routing-readers")).toBe("tsc-routing-readers-journal");
  });
});

describe("relying on a journal", () => {
  const since = 1_764_000_000_000;
  const table = "tsc-routing-readers-journal";
  const reader = (readerId: string, heartbeatAt: number, journal?: boolean, journalTable: string | null = table) =>
    readerSchema.parse({ readerId, heartbeatAt, acks: {}, ...(journal === undefined ? {} : { journal, journalTable }) });

  it("is possible when every reader alive since the journal began keeps it", () => {
    expect(journalTrustOf([reader("a", since + 500, true), reader("b", since + 900, true)], since, table)).toEqual({
      trusted: true,
      readers: 2,
    });
  });

  it("is not when one of them is of an older library version (no journal in its state), or keeps none", () => {
    expect(journalTrustOf([reader("a", since + 500, true), reader("old", since + 500)], since, table)).toEqual({
      trusted: false,
      why: "data-plane reader(s) old keep no journal (an older library version, or no journal table)",
    });
    expect(journalTrustOf([reader("a", since, false)], since, table)).toMatchObject({ trusted: false });
  });

  it("is not when a reader journals to another table than the one the console reads", () => {
    expect(journalTrustOf([reader("a", since + 500, true), reader("custom", since + 500, true, "custom-journal")], since, table)).toEqual({
      trusted: false,
      why: "data-plane reader(s) custom journal to custom-journal, not tsc-routing-readers-journal",
    });
  });

  it("ignores readers gone before the journal began, and is not possible with no reader at all", () => {
    expect(journalTrustOf([reader("gone", since - readerLeaseMs - 1), reader("a", since + 1, true)], since, table)).toEqual({
      trusted: true,
      readers: 1,
    });
    expect(journalTrustOf([reader("gone", since - readerLeaseMs - 1)], since, table)).toEqual({
      trusted: false,
      why: "no data-plane reader is registered",
    });
  });
});
