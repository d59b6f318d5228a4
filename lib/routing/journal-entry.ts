// The write journal of a moving tenant: an extension of the readers protocol
// (lib/routing/readers.ts). While an operation moves a tenant and its routing
// record names a journal, every data-plane reader writes the keys a write will
// touch to the journal table BEFORE it sends the write (a write-ahead journal:
// a process that dies between the two leaves a key too many, never one too
// few). The console then reads only those keys under a write freeze instead of
// every item of the tenant, so the freeze does not grow with the tenant.
//
// The journal has a table of its own (the readers table's name + "-journal"),
// since every reader and the console scan the readers table often. Items:
// pk "journal#<journal id>", sk "<change stamp, 15 digits>#<reader>#<n>",
// `written` and `deleted` as lists of key maps (DynamoDB's own types), and
// `expiresAt` (epoch seconds) for a TTL on the table. Pure (the table is named
// by the caller): the data-plane library writes with it.
import { PutItemCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

export type JournalKey = Record<string, AttributeValue>;

/** Keys per journal item (a write of more keys is journaled in several items, each far below DynamoDB's 400 KB). */
export const journalItemKeys = 200;
/** Journal items outlive any move by far; a TTL on `expiresAt` removes what a console did not. */
const journalRetentionSeconds = 7 * 24 * 3600;
const stampWidth = 15;

/** The journal table that goes with a readers table. */
export function journalTableFor(readersTable: string): string {
  return `${readersTable}-journal`;
}

export function journalPartition(journalId: string): string {
  return `journal#${journalId}`;
}

/** The sort key from which a journal's items are stamped at or after `stamp` (ms). */
export function journalSortKeyFrom(stamp: number): string {
  return String(Math.max(0, Math.floor(stamp))).padStart(stampWidth, "0");
}

/** The journal items for one write (one item per `journalItemKeys` keys). */
export function journalItems(
  journalId: string,
  readerId: string,
  sequence: number,
  stamp: number,
  keys: { written: JournalKey[]; deleted: JournalKey[] },
): Record<string, AttributeValue>[] {
  const all = [...keys.written.map((key) => ({ key, deleted: false })), ...keys.deleted.map((key) => ({ key, deleted: true }))];
  const items: Record<string, AttributeValue>[] = [];
  for (let i = 0; i < all.length; i += journalItemKeys) {
    const chunk = all.slice(i, i + journalItemKeys);
    const list = (deleted: boolean) => ({ L: chunk.filter((k) => k.deleted === deleted).map((k) => ({ M: k.key })) });
    items.push({
      pk: { S: journalPartition(journalId) },
      sk: { S: `${journalSortKeyFrom(stamp)}#${readerId}#${sequence}.${i / journalItemKeys}` },
      written: list(false),
      deleted: list(true),
      expiresAt: { N: String(Math.floor(stamp / 1000) + journalRetentionSeconds) },
    });
  }
  return items;
}

/** Writes the journal items of one write; it may be sent once this resolves. */
export async function putJournalItems(client: DynamoDBClient, tableName: string, items: Record<string, AttributeValue>[]): Promise<void> {
  await Promise.all(items.map((Item) => client.send(new PutItemCommand({ TableName: tableName, Item }))));
}

/** The keys a journal item names. */
export function journalKeysOf(item: Record<string, AttributeValue>): { written: JournalKey[]; deleted: JournalKey[] } {
  const keys = (value: AttributeValue | undefined) => (value?.L ?? []).flatMap((entry) => (entry.M ? [entry.M] : []));
  return { written: keys(item.written), deleted: keys(item.deleted) };
}
