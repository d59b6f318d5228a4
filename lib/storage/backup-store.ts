// Where backups are kept: a local directory (the embedded stack) or an S3
// bucket (AWS mode), behind one interface. BACKUP_STORE chooses:
// `s3://bucket/prefix` or a directory path.
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile, rename } from "node:fs/promises";
import path from "node:path";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

export interface BackupStore {
  /** For people: "directory /x/backups" or "s3://bucket/prefix". */
  readonly description: string;
  put(key: string, body: Uint8Array): Promise<void>;
  /** Throws BackupObjectMissing when there is no such object. */
  get(key: string): Promise<Uint8Array>;
  /** Deletes every object whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<number>;
}

export class BackupObjectMissing extends Error {
  constructor(
    readonly key: string,
    where: string,
  ) {
    super(`${key} is missing from ${where}`);
  }
}

const keyPattern = /^[A-Za-z0-9._/-]+$/;

function checkKey(key: string): string {
  if (!keyPattern.test(key) || key.split("/").some((part) => part === ".." || part === "."))
    throw new Error(`not a backup object key: ${key}`);
  return key;
}

export class DirectoryBackupStore implements BackupStore {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `directory ${root}`;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const file = path.join(this.root, checkKey(key));
    await mkdir(path.dirname(file), { recursive: true });
    // Written aside and renamed, so a crash never leaves half a file under the real name.
    const partial = `${file}.${randomUUID()}.partial`;
    await writeFile(partial, body);
    await rename(partial, file);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(path.join(this.root, checkKey(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BackupObjectMissing(key, this.description);
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = path.join(this.root, checkKey(prefix.replace(/\/$/, "")));
    await rm(dir, { recursive: true, force: true });
    return 1;
  }
}

export class S3BackupStore implements BackupStore {
  readonly description: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.description = `s3://${bucket}/${prefix}`;
  }

  private keyOf(key: string): string {
    return `${this.prefix}${checkKey(key)}`;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key), Body: body, ChecksumAlgorithm: "SHA256" }));
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      if (!result.Body) throw new BackupObjectMissing(key, this.description);
      return await result.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey")
        throw new BackupObjectMissing(key, this.description);
      throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyOf(prefix), ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) {
        await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
        deleted += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }
}

/** The store BACKUP_STORE names: `s3://bucket/prefix` or a directory (relative to the working directory). */
export function parseBackupStoreSetting(
  value: string | undefined,
): { kind: "s3"; bucket: string; prefix: string } | { kind: "directory"; root: string } {
  if (!value) throw new Error("BACKUP_STORE is not set (a directory, or s3://bucket/prefix; npm run demo sets .data/backups)");
  const s3 = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (value.startsWith("s3://")) {
    if (!s3) throw new Error(`BACKUP_STORE ${value} is not s3://bucket/prefix with a valid bucket name`);
    const prefix = s3[2] ?? "";
    return { kind: "s3", bucket: s3[1]!, prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix };
  }
  return { kind: "directory", root: path.resolve(value) };
}
