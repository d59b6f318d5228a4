import "server-only";
import type { Db } from "../db/client";

export interface DatabaseHealth {
  reachable: boolean;
  version?: string;
  latencyMs?: number;
  error?: string;
}

/** Reachability and server version; the error is named but no connection string or secret is included. */
export async function checkDatabase(db: Db, timeoutMs = 3_000): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    const rows = await Promise.race([
      db.$queryRaw<{ version: string }[]>`SELECT version() AS version`,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    const version = rows[0]?.version.match(/^PostgreSQL [\d.]+/)?.[0] ?? rows[0]?.version;
    return { reachable: true, version, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Prisma puts the invocation first and the cause last.
    const lines = message
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const cause = lines.at(-1) ?? "unknown error";
    return { reachable: false, error: cause.replace(/postgres(ql)?:\/\/\S+/g, "<database url>").slice(0, 200) };
  }
}
