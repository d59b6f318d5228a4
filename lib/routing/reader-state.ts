// The reader's side of the readers protocol (lib/routing/readers.ts describes
// it): what one data-plane process writes to the readers table. Pure (no
// configuration): the data-plane library (lib/data-plane) publishes with it,
// naming the table itself.
import { PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { z } from "zod";

/** A reader whose heartbeat is older than this is presumed gone (and has fenced itself). */
export const readerLeaseMs = 3_000;
/** How often a reader rewrites its item when nothing changed. */
export const readerHeartbeatMs = 500;

export const readerSchema = z.object({
  readerId: z.string().min(1),
  heartbeatAt: z.number(),
  /** tenant id → acknowledged routing version, for tenants being moved. */
  acks: z.record(z.string(), z.number().int()),
  /** tenant id → every write of it landing after this item was written is stamped at or after this time (ms). */
  writesFrom: z.record(z.string(), z.number()).default({}),
  /**
   * This reader journals the keys of a moving tenant's writes before it sends them, when the tenant's routing record
   * names a journal (lib/routing/journal-entry.ts). Readers of older library versions publish no such field.
   */
  journal: z.boolean().default(false),
  /** The table this reader journals to (the console trusts a journal only in the table it reads). */
  journalTable: z.string().nullable().default(null),
});
export type ReaderState = z.infer<typeof readerSchema>;

/** Writes (replaces) the reader's item in `tableName`. */
export async function putReaderState(client: DynamoDBClient, state: z.input<typeof readerSchema>, tableName: string): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: state.readerId },
        sk: { S: "reader" },
        heartbeatAt: { N: String(state.heartbeatAt) },
        body: { S: JSON.stringify(state) },
      },
    }),
  );
}
