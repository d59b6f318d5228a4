// Files of DynamoDB items as the console stores them (backups, an offboarding's
// final export): gzip-compressed DynamoDB JSON lines, one `{"Item": {...}}` per
// line as DynamoDB's own table export writes them, in numbered parts, each
// with its item count, size and the SHA-256 of its compressed bytes; and the
// content hash of a set of items, independent of the order they were read in.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { BackupStore } from "./backup-store";
import type { KeyScheme } from "./key-scheme";
import { itemHash, itemKey, type Item } from "./tenant-partitions";

/** One stored part: its name under the location, items, compressed bytes, SHA-256 of those bytes, and whose items it holds. */
export interface ItemFile {
  name: string;
  items: number;
  bytes: number;
  sha256: string;
  /** The tenant the file holds (null: items of no one tenant, or not separated). */
  tenantId: string | null;
}

/** One line of a backup file. Binary values are base64, as in DynamoDB JSON. */
export function encodeItemLine(item: Item): string {
  return JSON.stringify({ Item: item }, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
  );
}

export function decodeItemLine(line: string): Item {
  const parsed = JSON.parse(line) as { Item?: unknown };
  if (!parsed || typeof parsed !== "object" || !parsed.Item || typeof parsed.Item !== "object") throw new Error("a line without an Item");
  return reviveBinary(parsed.Item as Record<string, unknown>) as Item;
}

function reviveBinary(item: Record<string, unknown>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) out[name] = reviveValue(value);
  return out;
}

function reviveValue(value: unknown): AttributeValue {
  const v = value as Record<string, unknown>;
  if (typeof v.B === "string") return { B: Buffer.from(v.B, "base64") };
  if (Array.isArray(v.BS)) return { BS: v.BS.map((b) => Buffer.from(String(b), "base64")) };
  if (Array.isArray(v.L)) return { L: v.L.map(reviveValue) };
  if (v.M && typeof v.M === "object") return { M: reviveBinary(v.M as Record<string, unknown>) };
  return v as unknown as AttributeValue;
}

/** A hash of a set of items independent of the order they were read in: SHA-256 over sorted "key hash" lines. */
export function tenantContentHash(hashesByKey: Map<string, string>): string {
  const hash = createHash("sha256");
  for (const key of [...hashesByKey.keys()].sort()) hash.update(`${key}\u001e${hashesByKey.get(key)}\n`);
  return hash.digest("hex");
}

export function hashesOf(scheme: KeyScheme, items: Iterable<Item>): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) out.set(itemKey(scheme, item), itemHash(item));
  return out;
}

/** Items per file: a file is compressed in memory before it is stored, so this bounds the memory a writer holds. */
const maxItemsPerFile = 50_000;

/** One logical file set (a tenant's, or a Scan segment's), stored as numbered parts of at most maxItemsPerFile items. */
export class FileSetWriter {
  private lines: string[] = [];
  private part = 0;
  readonly files: ItemFile[] = [];

  constructor(
    private readonly store: BackupStore,
    private readonly location: string,
    private readonly baseName: string,
    private readonly tenantId: string | null,
  ) {}

  /** Adds an item; returns the length of its line (the item's size in the backup, uncompressed). */
  async add(item: Item): Promise<number> {
    const line = encodeItemLine(item);
    this.lines.push(line);
    if (this.lines.length >= maxItemsPerFile) await this.flush();
    return line.length;
  }

  /** Writes what is buffered; also writes an empty part when the set would otherwise have no file. */
  async close(): Promise<ItemFile[]> {
    if (this.lines.length > 0 || this.files.length === 0) await this.flush();
    return this.files;
  }

  private async flush(): Promise<void> {
    // Taken synchronously: Scan segments keep adding while this part is stored.
    const lines = this.lines;
    this.lines = [];
    const name = `${this.baseName}.part-${String(this.part++).padStart(4, "0")}.jsonl.gz`;
    const body = gzipSync(lines.length ? `${lines.join("\n")}\n` : "", { level: 6 });
    await this.store.put(`${this.location}${name}`, body);
    this.files.push({
      name,
      items: lines.length,
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
      tenantId: this.tenantId,
    });
  }
}

/** A stored file (or its manifest) that does not match what was recorded of it: changed, truncated or missing. */
export class CorruptBackup extends Error {}

/** A file's items, after checking its bytes against the manifest: a changed, truncated or missing file is refused. */
export async function readItemFile(store: BackupStore, location: string, file: ItemFile): Promise<Item[]> {
  const body = await store.get(`${location}${file.name}`);
  const sha256 = createHash("sha256").update(body).digest("hex");
  if (sha256 !== file.sha256 || body.length !== file.bytes) {
    throw new CorruptBackup(
      `backup file ${file.name} does not match its manifest (${body.length} bytes, SHA-256 ${sha256.slice(0, 12)}…; the manifest says ${file.bytes} bytes, ${file.sha256.slice(0, 12)}…): it was changed or truncated`,
    );
  }
  let text: string;
  try {
    text = gunzipSync(body).toString("utf8");
  } catch (error) {
    throw new CorruptBackup(`backup file ${file.name} is not valid gzip: ${error instanceof Error ? error.message : String(error)}`);
  }
  const lines = text.split("\n").filter((line) => line.length > 0);
  if (lines.length !== file.items)
    throw new CorruptBackup(`backup file ${file.name} holds ${lines.length} items; the manifest says ${file.items}`);
  return lines.map((line, i) => {
    try {
      return decodeItemLine(line);
    } catch (error) {
      throw new CorruptBackup(`backup file ${file.name}, line ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
