import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Everything the embedded stack keeps lives here (gitignored). */
export const dataDir = path.resolve(".data");
export const pgliteDir = path.join(dataDir, "pglite");
const embeddedStatePath = path.join(dataDir, "embedded-postgres.json");

interface EmbeddedState {
  pid: number;
  url: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The URL of the embedded database a running demo serves, if one runs. */
export function runningEmbeddedUrl(): string | undefined {
  if (!existsSync(embeddedStatePath)) return undefined;
  try {
    const state = JSON.parse(readFileSync(embeddedStatePath, "utf8")) as EmbeddedState;
    return alive(state.pid) ? state.url : undefined;
  } catch {
    return undefined;
  }
}

export function recordRunningEmbedded(url: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(embeddedStatePath, JSON.stringify({ pid: process.pid, url } satisfies EmbeddedState));
}

export function clearRunningEmbedded(): void {
  rmSync(embeddedStatePath, { force: true });
}
