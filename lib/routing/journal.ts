// The console's side of a moving tenant's write journal (the format and the
// readers' side: lib/routing/journal-entry.ts): whether it can be trusted,
// which keys it names since a moment, and its removal once the move is over.
//
// The journal is complete from the moment every reader acknowledged the
// routing version that named it (a reader acknowledges a version only once no
// write issued under an older one is in flight, and journals every write it
// issues under the new one before sending it). It can be trusted only if every
// reader alive since then keeps it: a reader of an older library version (no
// `journal` in its state) or no reader at all (a data plane outside the
// protocol) means a move must read the tenant's items instead.
import {
  BatchWriteItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { journalKeysOf, journalPartition, journalSortKeyFrom, journalTableFor, type JournalKey } from "./journal-entry";
import { readerLeaseMs, type ReaderState } from "./reader-state";
import { readerStates, routingReadersTableName } from "./readers";

export function routingJournalTableName(): string {
  return journalTableFor(routingReadersTableName());
}

export type JournalTrust = { trusted: true; readers: number } | { trusted: false; why: string };

/** Whether the journal begun at `since` (ms, when its routing version was written) names every write since. */
export async function journalTrust(client: DynamoDBClient, since: number, readersTable = routingReadersTableName()): Promise<JournalTrust> {
  return journalTrustOf(await readerStates(client, readersTable), since, journalTableFor(readersTable));
}

/**
 * The rule of journalTrust, given every reader's state: there is a reader alive since `since`, and each one keeps the
 * journal in `journalTable` (the one the console reads; a reader of 0.2.0 names none and is taken at its default).
 */
export function journalTrustOf(states: ReaderState[], since: number, journalTable: string): JournalTrust {
  const readers = states.filter((reader) => reader.heartbeatAt >= since - readerLeaseMs);
  if (readers.length === 0) return { trusted: false, why: "no data-plane reader is registered" };
  const elsewhere = readers.filter((reader) => reader.journal && reader.journalTable !== null && reader.journalTable !== journalTable);
  if (elsewhere.length > 0)
    return {
      trusted: false,
      why: `data-plane reader(s) ${elsewhere
        .slice(0, 3)
        .map((r) => r.readerId)
        .join(", ")} journal to ${elsewhere[0]!.journalTable}, not ${journalTable}`,
    };
  const without = readers.filter((reader) => !reader.journal).map((reader) => reader.readerId);
  if (without.length > 0)
    return {
      trusted: false,
      why: `data-plane reader(s) ${without.slice(0, 3).join(", ")}${without.length > 3 ? " and others" : ""} keep no journal (an older library version, or no journal table)`,
    };
  return { trusted: true, readers: readers.length };
}

/** The keys journaled with a change stamp at or after `since` (ms): written ones and deleted ones (a key may be in both). */
export async function readJournal(
  client: DynamoDBClient,
  journalId: string,
  since: number,
  options: { tableName?: string; signal?: AbortSignal } = {},
): Promise<{ written: JournalKey[]; deleted: JournalKey[]; entries: number }> {
  const out = { written: [] as JournalKey[], deleted: [] as JournalKey[], entries: 0 };
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: options.tableName ?? routingJournalTableName(),
        KeyConditionExpression: "pk = :pk AND sk >= :from",
        ExpressionAttributeValues: { ":pk": { S: journalPartition(journalId) }, ":from": { S: journalSortKeyFrom(since) } },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
      { abortSignal: options.signal },
    );
    for (const item of page.Items ?? []) {
      const keys = journalKeysOf(item);
      out.written.push(...keys.written);
      out.deleted.push(...keys.deleted);
      out.entries++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}

/** Removes a journal's items (safe to repeat; nothing to do without a journal table); returns how many there were. */
export async function deleteJournal(client: DynamoDBClient, journalId: string, tableName = routingJournalTableName()): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await client
      .send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: journalPartition(journalId) } },
          ProjectionExpression: "pk, sk",
          ConsistentRead: true,
        }),
      )
      .catch((error: unknown) => {
        // A deployment that never created the journal table has no journal to delete (its moves took the full path).
        if (error instanceof ResourceNotFoundException) return { Items: [] };
        throw error;
      });
    const keys = page.Items ?? [];
    if (keys.length === 0) return removed;
    for (let i = 0; i < keys.length; i += 25) {
      let pending: Record<string, { DeleteRequest: { Key: Record<string, AttributeValue> } }[]> = {
        [tableName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
      };
      for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
        pending = (result.UnprocessedItems ?? {}) as typeof pending;
      }
    }
    removed += keys.length;
  }
}
