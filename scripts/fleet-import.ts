// `npm run fleet:import -- <file> [--apply] [--all]`: imports an existing fleet
// (docs/fleet-import.md). Without --apply it prints the dry run and changes
// nothing; with --apply it applies the same plan if it has no problem and no
// conflict, audited in the name of the OS user who ran it. Configured by the
// environment like the worker (DATABASE_URL, AWS_REGION, the credential chain);
// with DATABASE_URL unset and `npm run demo` running, it imports into the demo.
import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { parseArgs } from "node:util";
import { auditEntry } from "../lib/audit/record";
import { dynamoDbClient } from "../lib/aws/clients";
import { defaultRegion, startWithConfig } from "../lib/config/config";
import { createDb } from "../lib/db/client";
import type { ImportAccess } from "../lib/fleet-import/access";
import type { PlanRow } from "../lib/fleet-import/plan";
import { applyImport, dryRunImport, ImportRefused, refusedImportFacts } from "../lib/fleet-import/requests";
import { routingTableName } from "../lib/routing/routing-table";
import { localConfig } from "../local/config";
import { runningEmbeddedUrl } from "../local/state";

const usage = "usage: npm run fleet:import -- <file.json|file.csv> [--apply] [--all]";
let args: ReturnType<typeof parse>;
const parse = () =>
  parseArgs({ allowPositionals: true, options: { apply: { type: "boolean", default: false }, all: { type: "boolean", default: false } } });
try {
  args = parse();
} catch (error) {
  console.error(`fleet-import: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const [file, ...extra] = args.positionals;
if (!file || extra.length) {
  console.error(usage);
  process.exit(2);
}

// The running demo's catalog and local endpoints, when no database is configured.
const demoUrl = process.env.DATABASE_URL ? undefined : runningEmbeddedUrl();
if (demoUrl) {
  Object.assign(process.env, {
    DATABASE_URL: demoUrl,
    AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
    AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${localConfig().DYNAMODB_PORT}`,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
}
let settings;
try {
  settings = startWithConfig("fleetImport");
} catch (error) {
  console.error(`fleet-import: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

let text: string;
try {
  text = readFileSync(file, "utf8");
} catch (error) {
  console.error(`fleet-import: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}

const db = createDb(settings.DATABASE_URL!, 4);
const access: ImportAccess = { db, dynamoDb: dynamoDbClient, routingTable: routingTableName(), routingRegion: defaultRegion() };
const actor = `cli:${userInfo().username}@${hostname()}`;
const audit = (facts: Parameters<typeof auditEntry>[1]) => ({ ...auditEntry(null, facts), actorEmail: actor });

const rowLine = (row: PlanRow) =>
  `  line ${String(row.line).padEnd(6)} ${row.kind.padEnd(8)} ${row.id.padEnd(24)} ${row.action.padEnd(9)} ${row.summary}` +
  [...row.reasons.map((r) => `\n${" ".repeat(16)}conflict: ${r}`), ...row.notes.map((n) => `\n${" ".repeat(16)}note: ${n}`)].join("");

async function main(): Promise<number> {
  const started = performance.now();
  const dryRun = await dryRunImport(access, text);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`${file} (${dryRun.format}) ${demoUrl ? "into the running demo's catalog" : ""}`.trim());
  if (!dryRun.ok) {
    console.log(`${dryRun.problems.length} problem(s); nothing can be imported until every row is right:`);
    for (const p of dryRun.problems)
      console.log(`  ${p.line === null ? "file" : `line ${p.line}`}${p.field ? `, ${p.field}` : ""}: ${p.message}`);
    if (args.values.apply)
      await db.auditEntry.create({
        data: audit(refusedImportFacts(new ImportRefused("Nothing imported: the file has problems.", dryRun))),
      });
    return 1;
  }
  const { plan } = dryRun;
  const show = args.values.all
    ? plan.rows
    : [...plan.rows.filter((r) => r.action === "conflict"), ...plan.rows.filter((r) => r.action !== "conflict").slice(0, 20)];
  console.log(
    `dry run in ${seconds} s (DescribeTable of ${plan.rows.filter((r) => r.kind === "instance").length} tables in ${(dryRun.describedMs / 1000).toFixed(2)} s):`,
  );
  for (const row of show) console.log(rowLine(row));
  if (show.length < plan.rows.length) console.log(`  … ${plan.rows.length - show.length} more rows (--all prints every row)`);
  console.log(
    `storage instances: ${plan.instances.create} to create, ${plan.instances.unchanged} unchanged, ${plan.instances.conflict} in conflict\n` +
      `tenants:           ${plan.tenants.create} to create, ${plan.tenants.unchanged} unchanged, ${plan.tenants.conflict} in conflict`,
  );
  if (!args.values.apply) {
    console.log(
      plan.instances.conflict + plan.tenants.conflict
        ? "Resolve the conflicts, then run with --apply."
        : "Nothing changed. Run again with --apply to import.",
    );
    return plan.instances.conflict + plan.tenants.conflict ? 1 : 0;
  }
  try {
    const applyStarted = performance.now();
    const applied = await applyImport(access, text, audit, plan.fingerprint);
    console.log(
      `imported in ${((performance.now() - applyStarted) / 1000).toFixed(2)} s: ${applied.instancesCreated} storage instances and ${applied.tenantsCreated} tenants created (active); ` +
        `routing records: ${applied.routing.published} published, ${applied.routing.unchanged} already current. Audited as ${actor}.`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ImportRefused)) throw error;
    await db.auditEntry.create({ data: audit(refusedImportFacts(error)) });
    console.error(error.message);
    return 1;
  }
}

main()
  .then(async (code) => {
    await db.$disconnect();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`fleet-import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await db.$disconnect();
    process.exit(1);
  });
