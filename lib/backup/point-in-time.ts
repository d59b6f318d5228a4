// The AWS-native restore source: DynamoDB point-in-time recovery restores a
// whole table into a new (scratch) table; the restore then reads only the
// tenant's partitions from it (separation at restore time) and the scratch
// table is deleted. dynalite has no PITR, so this path is unit-tested against
// aws-sdk-client-mock only (lib/backup/aws-paths.test.ts).
import { dropTable } from "../storage/tenant-tables";
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

export class PointInTimeRefused extends Error {}

export interface RestorableWindow {
  earliest: Date;
  latest: Date;
}

export async function restorableWindow(client: DynamoDBClient, tableName: string): Promise<RestorableWindow> {
  const { ContinuousBackupsDescription: d } = await client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
  const pitr = d?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== "ENABLED" || !pitr.EarliestRestorableDateTime || !pitr.LatestRestorableDateTime) {
    throw new PointInTimeRefused(`point-in-time recovery is not enabled on ${tableName}`);
  }
  return { earliest: pitr.EarliestRestorableDateTime, latest: pitr.LatestRestorableDateTime };
}

export function checkWithinWindow(at: Date, window: RestorableWindow, tableName: string): void {
  if (at < window.earliest || at > window.latest) {
    throw new PointInTimeRefused(
      `${at.toISOString()} is outside ${tableName}'s restorable window (${window.earliest.toISOString()} to ${window.latest.toISOString()})`,
    );
  }
}

/** Restores `tableName` as it was at `at` into `scratchTable` and waits until it is ACTIVE; resumes a restore already started. */
export async function restoreToScratch(
  client: DynamoDBClient,
  options: { tableName: string; scratchTable: string; at: Date; signal?: AbortSignal; pollMs?: number; timeoutMs?: number },
): Promise<void> {
  if (!(await tableStatus(client, options.scratchTable))) {
    await client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: options.tableName,
        TargetTableName: options.scratchTable,
        RestoreDateTime: options.at,
      }),
    );
  }
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 3_600_000);
  for (;;) {
    options.signal?.throwIfAborted();
    const status = await tableStatus(client, options.scratchTable);
    if (status === "ACTIVE") return;
    if (Date.now() > deadline)
      throw new PointInTimeRefused(`the scratch table ${options.scratchTable} is still ${status ?? "missing"}; gave up waiting`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 10_000));
  }
}

export async function dropScratch(client: DynamoDBClient, scratchTable: string): Promise<void> {
  await dropTable(client, scratchTable);
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | null> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? null;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}
