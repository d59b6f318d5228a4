// Starts the console on its embedded default (or on DATABASE_URL): database,
// migrations, seed, then Next.js; stops all of it on Ctrl-C / SIGTERM.
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { config, loadConfig } from "../lib/config/config";
import { applyMigrations } from "../lib/db/schema-engine";
import { createDb } from "../lib/db/client";
import { seedCatalog } from "../prisma/seed-catalog";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { spawnStackChild, stopProcessGroup, type Supervised } from "./child-process";
import { startLocalDataPlane, type LocalDataPlane } from "./local-data-plane";
import { startSupervisedWorker } from "./worker-process";
import { startAlertReceiver, type AlertReceiver } from "./alert-receiver";
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
  dataPlane: { dynamoDbPort: number; cloudWatchPort: number; backfillHours?: number; waitForWorkload?: boolean };
}

const nextBin = path.resolve("node_modules/next/dist/bin/next");

/** The demo's session secret: from the environment, or generated once and kept in .data/. */
export function demoSecret(): string {
  const configured = config().NEXTAUTH_SECRET;
  if (configured) return configured;
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

export interface RunningConsole {
  url: string;
  databaseUrl: string;
  embedded: boolean;
  dataPlane: LocalDataPlane;
  stop(): Promise<void>;
}

/**
 * Validates, before anything starts, the settings the console and the worker
 * will run with: the environment plus what this stack provides (an embedded
 * database, the local endpoints' region, a backup directory, the secret).
 */
function checkSettings(options: ConsoleStackOptions): void {
  const provided = {
    DATABASE_URL: process.env.DATABASE_URL || "postgresql://embedded",
    NEXTAUTH_SECRET: options.secret,
    AUTH_ALLOW_INSECURE_HTTP: insecureHttp(),
    AWS_REGION: process.env.AWS_REGION || "us-east-1",
    BACKUP_STORE: process.env.BACKUP_STORE || dataDir,
  };
  loadConfig({ ...process.env, ...provided }, "console");
  loadConfig({ ...process.env, ...provided }, "worker");
}

/**
 * This stack serves the console over plain http on this machine, which a production build refuses unless told
 * (lib/auth/transport.ts): the stack allows it explicitly, unless AUTH_ALLOW_INSECURE_HTTP is set already.
 */
function insecureHttp(): "on" | "off" {
  return process.env.AUTH_ALLOW_INSECURE_HTTP === "off" ? "off" : "on";
}

export async function startConsoleStack(options: ConsoleStackOptions): Promise<RunningConsole> {
  const log = (line: string) => options.quiet || console.log(line);
  checkSettings(options);
  await assertPortFree(options.port, "the console (PORT)", options.host);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config().DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.persistent ? pgliteDir : undefined,
      port: options.embeddedPort,
    });
    databaseUrl = embedded.url;
    if (options.persistent) recordRunningEmbedded(databaseUrl);
    log(
      `Embedded PostgreSQL (PGlite) on 127.0.0.1:${embedded.port}${options.persistent ? `, data in ${path.relative(process.cwd(), pgliteDir)}/` : ", in memory"}`,
    );
  }
  const stopDatabase = async () => {
    if (!embedded) return;
    await embedded.stop();
    if (options.persistent) clearRunningEmbedded();
  };

  let child: ChildProcess | undefined;
  let worker: Supervised | undefined;
  let dataPlane: LocalDataPlane | undefined;
  let alerts: AlertReceiver | undefined;
  try {
    const applied = await applyMigrations(databaseUrl);
    if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);
    const db = createDb(databaseUrl, 1);
    try {
      const seeded = await seedCatalog(db);
      if (seeded.tenants || seeded.users)
        log(`Seeded the demo fleet: ${seeded.tenants} tenants, ${seeded.instances} storage instances, ${seeded.users} users`);
      dataPlane = await startLocalDataPlane(db, { ...options.dataPlane, persistent: options.persistent, log });
      log(`Local DynamoDB on 127.0.0.1:${dataPlane.dynamoDbPort}, local CloudWatch on 127.0.0.1:${dataPlane.cloudWatchPort}`);
    } finally {
      await db.$disconnect();
    }
    if (options.databaseUrlFile) {
      mkdirSync(path.dirname(options.databaseUrlFile), { recursive: true });
      writeFileSync(options.databaseUrlFile, databaseUrl);
    }

    const url = `http://${options.host}:${options.port}`;
    if (insecureHttp() === "on" && !config().NEXTAUTH_URL?.startsWith("https://")) {
      log("Sign-in over plain http is allowed for this local console (AUTH_ALLOW_INSECURE_HTTP=on; never in a deployment).");
    }
    // Without a configured webhook, findings' alerts go to the stack's own receiver, which prints them.
    if (!config().ALERT_WEBHOOK_URL) {
      alerts = await startAlertReceiver(log);
      log(`Findings' alerts go to the local receiver at ${alerts.env.ALERT_WEBHOOK_URL} (signed; printed here)`);
    }
    worker = await startSupervisedWorker(
      { ...process.env, ...dataPlane.env, ...alerts?.env, DATABASE_URL: databaseUrl, NEXTAUTH_URL: config().NEXTAUTH_URL ?? url },
      options.quiet ?? false,
      log,
    );

    const args =
      options.mode === "dev"
        ? ["dev", "-p", String(options.port), "-H", options.host]
        : ["start", "-p", String(options.port), "-H", options.host];
    child = spawnStackChild(
      [nextBin, ...args],
      {
        ...process.env,
        ...dataPlane.env,
        DATABASE_URL: databaseUrl,
        NEXTAUTH_SECRET: options.secret,
        NEXTAUTH_URL: config().NEXTAUTH_URL ?? url,
        AUTH_ALLOW_INSECURE_HTTP: insecureHttp(),
        NEXT_TELEMETRY_DISABLED: "1",
      },
      options.quiet ? "ignore" : "pipe",
    );
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
    await waitForHealth(url, child, options.mode === "dev" ? 120_000 : 60_000);
    const running = child;
    const runningWorker = worker;
    const runningDataPlane = dataPlane;
    const runningAlerts = alerts;
    return {
      url,
      databaseUrl,
      embedded: Boolean(embedded),
      dataPlane: runningDataPlane,
      async stop() {
        await stopProcessGroup(running);
        await runningWorker.stop(15_000);
        await runningAlerts?.stop();
        await runningDataPlane.stop();
        await stopDatabase();
      },
    };
  } catch (error) {
    if (child) await stopProcessGroup(child);
    if (worker) await worker.stop();
    await alerts?.stop();
    await dataPlane?.stop();
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
    console.log(
      `\n${signal}: stopping the console, the operations worker, the workload, the local AWS endpoints${running.embedded ? " and the embedded database" : ""}…`,
    );
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
