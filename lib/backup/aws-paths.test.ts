// The AWS-only paths against aws-sdk-client-mock (there is no local S3 or
// point-in-time recovery here): the S3 backup store and the PITR restore source.
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
} from "@aws-sdk/client-dynamodb";
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
import { checkWithinWindow, dropScratch, restorableWindow, restoreToScratch } from "./point-in-time";
import { BackupObjectMissing, S3BackupStore } from "../storage/backup-store";

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBClient);

beforeEach(() => {
  s3.reset();
  dynamo.reset();
});

describe("the S3 backup store", () => {
  const store = new S3BackupStore(new S3Client({ region: "us-east-1" }), "tsc-backups", "prod/");

  it("puts objects under its prefix with a SHA-256 checksum, and reads them back", async () => {
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand, { Bucket: "tsc-backups", Key: "prod/backups/b1/manifest.json" }).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(Buffer.from("{}")) } as never,
    });
    await store.put("backups/b1/manifest.json", Buffer.from("{}"));
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: "tsc-backups",
      Key: "prod/backups/b1/manifest.json",
      ChecksumAlgorithm: "SHA256",
    });
    expect(Buffer.from(await store.get("backups/b1/manifest.json")).toString()).toBe("{}");
  });

  it("reports a missing object as missing", async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "no such key", $metadata: {} }));
    await expect(store.get("backups/b1/manifest.json")).rejects.toBeInstanceOf(BackupObjectMissing);
  });

  it("deletes every object under a backup's prefix, page by page", async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [{ Key: "prod/backups/b1/a" }, { Key: "prod/backups/b1/b" }], IsTruncated: true, NextContinuationToken: "t2" })
      .on(ListObjectsV2Command, { ContinuationToken: "t2" })
      .resolves({ Contents: [{ Key: "prod/backups/b1/c" }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await store.deletePrefix("backups/b1/")).toBe(3);
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({ Bucket: "tsc-backups", Prefix: "prod/backups/b1/" });
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects?.map((o) => o.Key))).toEqual([
      ["prod/backups/b1/a", "prod/backups/b1/b"],
      ["prod/backups/b1/c"],
    ]);
  });
});

describe("point-in-time recovery as a restore source", () => {
  const client = new DynamoDBClient({ region: "us-east-1" });
  const earliest = new Date("2026-11-20T00:00:00Z");
  const latest = new Date("2026-11-25T06:00:00Z");

  it("reads the restorable window and refuses a time outside it", async () => {
    dynamo.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: "ENABLED",
        PointInTimeRecoveryDescription: {
          PointInTimeRecoveryStatus: "ENABLED",
          EarliestRestorableDateTime: earliest,
          LatestRestorableDateTime: latest,
        },
      },
    });
    const window = await restorableWindow(client, "tsc-pool-1");
    expect(window).toEqual({ earliest, latest });
    expect(() => checkWithinWindow(new Date("2026-11-22T12:00:00Z"), window, "tsc-pool-1")).not.toThrow();
    expect(() => checkWithinWindow(new Date("2026-11-19T23:59:59Z"), window, "tsc-pool-1")).toThrow(
      /outside tsc-pool-1's restorable window \(2026-11-20T00:00:00.000Z to 2026-11-25T06:00:00.000Z\)/,
    );
    expect(() => checkWithinWindow(new Date("2026-11-25T06:00:01Z"), window, "tsc-pool-1")).toThrow(/outside/);
  });

  it("refuses when point-in-time recovery is off", async () => {
    dynamo.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: "ENABLED",
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: "DISABLED" },
      },
    });
    await expect(restorableWindow(client, "tsc-pool-1")).rejects.toThrow(/not enabled on tsc-pool-1/);
  });

  it("restores into a scratch table, waits until it is active, and resumes a restore already started", async () => {
    const at = new Date("2026-11-24T10:00:00Z");
    dynamo
      .on(DescribeTableCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: "no table", $metadata: {} }))
      .resolvesOnce({ Table: { TableStatus: "CREATING" } })
      .resolves({ Table: { TableStatus: "ACTIVE" } });
    dynamo.on(RestoreTableToPointInTimeCommand).resolves({});
    await restoreToScratch(client, { tableName: "tsc-pool-1", scratchTable: "tsc-pool-1-pitr-x", at, pollMs: 1 });
    expect(dynamo.commandCalls(RestoreTableToPointInTimeCommand).map((c) => c.args[0].input)).toEqual([
      { SourceTableName: "tsc-pool-1", TargetTableName: "tsc-pool-1-pitr-x", RestoreDateTime: at },
    ]);

    // A worker that resumes finds the scratch table and does not start a second restore.
    dynamo.reset();
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    await restoreToScratch(client, { tableName: "tsc-pool-1", scratchTable: "tsc-pool-1-pitr-x", at, pollMs: 1 });
    expect(dynamo.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it("deletes the scratch table, and is done if it is already gone", async () => {
    dynamo
      .on(DeleteTableCommand)
      .resolvesOnce({})
      .rejects(new ResourceNotFoundException({ message: "gone", $metadata: {} }));
    await dropScratch(client, "tsc-pool-1-pitr-x");
    await dropScratch(client, "tsc-pool-1-pitr-x");
    expect(dynamo.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).toEqual([
      "tsc-pool-1-pitr-x",
      "tsc-pool-1-pitr-x",
    ]);
  });
});
