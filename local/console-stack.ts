// Starts the console on its embedded default (or on DATABASE_URL): database,
// migrations, seed, then Next.js; stops all of it on Ctrl-C / SIGTERM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyMigrations } from "../lib/db/schema-engine";
import { createDb } from "../lib/db/client";
import { seedCatalog } from "../prisma/seed-catalog";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { assertPortFree } from "./ports";
import { clearRunningEmbedded, dataDir, pgliteDir, recordRunningEmbedded } from "./state";

export interface ConsoleStackOptions {
  mode: "start" | "dev";
  port: number;
  host: string;
  /** Embedded database: kept under .data/ (demo) or in memory (e2e). Ignored when DATABASE_URL is set. */
  persistent: boolean;
  embeddedPort: number;
  secret: string;
  /** Where to write the database URL for tests that inspect it. */
  databaseUrlFile?: string;
  quiet?: boolean;
}

const nextBin = path.resolve("node_modules/next/dist/bin/next");
const exitWithParent = path.resolve("local/exit-with-parent.cjs");

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return value;
}

/** The demo's session secret: from the environment, or generated once and kept in .data/. */
export function demoSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

export function buildConsole(): void {
  console.log("Building the console (next build, about a minute on 2 cores)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error("next build failed (output above)");
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the console exited with code ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the console did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // next start forks its server; signalling the whole group stops both.
      process.kill(-child.pid, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

export interface RunningConsole {
  url: string;
  databaseUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startConsoleStack(options: ConsoleStackOptions): Promise<RunningConsole> {
  const log = (line: string) => options.quiet || console.log(line);
  await assertPortFree(options.port, "the console (PORT)", options.host);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.persistent ? pgliteDir : undefined,
      port: options.embeddedPort,
    });
    databaseUrl = embedded.url;
    if (options.persistent) recordRunningEmbedded(databaseUrl);
    log(`Embedded PostgreSQL (PGlite) on 127.0.0.1:${embedded.port}${options.persistent ? `, data in ${path.relative(process.cwd(), pgliteDir)}/` : ", in memory"}`);
  }
  const stopDatabase = async () => {
    if (!embedded) return;
    await embedded.stop();
    if (options.persistent) clearRunningEmbedded();
  };

  let child: ChildProcess | undefined;
  try {
    const applied = await applyMigrations(databaseUrl);
    if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);
    const db = createDb(databaseUrl, 1);
    try {
      const seeded = await seedCatalog(db);
      if (seeded.tenants || seeded.users) log(`Seeded the demo fleet: ${seeded.tenants} tenants, ${seeded.instances} storage instances, ${seeded.users} users`);
    } finally {
      await db.$disconnect();
    }
    if (options.databaseUrlFile) {
      mkdirSync(path.dirname(options.databaseUrlFile), { recursive: true });
      writeFileSync(options.databaseUrlFile, databaseUrl);
    }

    const url = `http://${options.host}:${options.port}`;
    const args = options.mode === "dev" ? ["dev", "-p", String(options.port), "-H", options.host] : ["start", "-p", String(options.port), "-H", options.host];
    child = spawn(process.execPath, [nextBin, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: options.secret,
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? url,
        NEXT_TELEMETRY_DISABLED: "1",
        TSC_LAUNCHER_PID: String(process.pid),
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(exitWithParent)}`].filter(Boolean).join(" "),
      },
      // Piped through us rather than inherited, so the server never holds our caller's pipes open.
      stdio: ["ignore", options.quiet ? "ignore" : "pipe", "pipe"],
      detached: true,
    });
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
    await waitForHealth(url, child, options.mode === "dev" ? 120_000 : 60_000);
    const running = child;
    return {
      url,
      databaseUrl,
      embedded: Boolean(embedded),
      async stop() {
        await stopProcessGroup(running);
        await stopDatabase();
      },
    };
  } catch (error) {
    if (child) await stopProcessGroup(child);
    await stopDatabase();
    throw error;
  }
}

/** Keeps the process alive until Ctrl-C / SIGTERM, then stops the stack once. */
export function stopOnSignals(running: RunningConsole): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the console${running.embedded ? " and the embedded database" : ""}…`);
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
