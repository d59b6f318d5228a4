// Writing and reading the gzip-compressed JSON-lines files of a backup.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { decodeItemLine, encodeItemLine, type BackupFile } from "./format";
import type { BackupStore } from "../storage/backup-store";
import type { Item } from "../storage/tenant-partitions";

/** Items per file: a file is compressed in memory before it is stored, so this bounds the memory a writer holds. */
const maxItemsPerFile = 50_000;

/** One logical file set (a tenant's, or a Scan segment's), stored as numbered parts of at most maxItemsPerFile items. */
export class FileSetWriter {
  private lines: string[] = [];
  private part = 0;
  readonly files: BackupFile[] = [];

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
  async close(): Promise<BackupFile[]> {
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

export class CorruptBackup extends Error {}

/** A file's items, after checking its bytes against the manifest: a changed, truncated or missing file is refused. */
export async function readBackupFile(store: BackupStore, location: string, file: BackupFile): Promise<Item[]> {
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
