// `npm run audit:deps`: the dependencies in package-lock.json checked against the registry's security advisories
// (npm audit), production dependencies and the whole tree, summarised by severity. docs/security.md, "Dependency
// advisories". Exit codes:
//   0  no high or critical advisory affects a production dependency (dev-only ones are listed, not fatal)
//   1  a high or critical advisory affects a production dependency
//   2  the advisories could not be checked (the registry's advisory endpoint unreachable or refusing): not a pass
import { spawnSync } from "node:child_process";

export const severities = ["critical", "high", "moderate", "low", "info"] as const;
export type Severity = (typeof severities)[number];

export type AuditReading =
  | { ok: true; counts: Record<Severity, number>; findings: { name: string; severity: Severity; titles: string[]; fix: string }[] }
  | { ok: false; reason: string };

interface NpmAuditJson {
  metadata?: { vulnerabilities?: Partial<Record<Severity, number>> };
  vulnerabilities?: Record<string, { severity?: Severity; via?: (string | { title?: string; url?: string })[]; fixAvailable?: unknown }>;
  message?: string;
  error?: { code?: string; summary?: string; detail?: string };
}

/** What `npm audit --json` printed (and its stderr), read: counts by severity, or why there are none. */
export function readAudit(stdout: string, stderr: string): AuditReading {
  let json: NpmAuditJson;
  try {
    json = JSON.parse(stdout) as NpmAuditJson;
  } catch {
    const said = stderr.split("\n").find((line) => /error/i.test(line)) ?? stderr.trim().split("\n").at(-1) ?? "";
    return { ok: false, reason: `npm audit printed no report${said ? `: ${said.trim()}` : ""}` };
  }
  const counts = json.metadata?.vulnerabilities;
  if (!counts || json.error) {
    const why = [json.message, json.error?.code, json.error?.summary].filter((part) => part).join("; ");
    return { ok: false, reason: why || "npm audit returned no advisory counts" };
  }
  const findings = Object.entries(json.vulnerabilities ?? {}).map(([name, entry]) => ({
    name,
    severity: entry.severity ?? "info",
    titles: (entry.via ?? []).map((via) =>
      typeof via === "string" ? `via ${via}` : `${via.title ?? "advisory"}${via.url ? ` (${via.url})` : ""}`,
    ),
    fix: entry.fixAvailable === false ? "no fix available" : entry.fixAvailable ? "a fix is available (npm audit fix)" : "",
  }));
  return { ok: true, counts: Object.fromEntries(severities.map((s) => [s, counts[s] ?? 0])) as Record<Severity, number>, findings };
}

function audit(args: string[]): AuditReading {
  const result = spawnSync("npm", ["audit", "--json", ...args], { encoding: "utf8", timeout: 120_000 });
  if (result.error) return { ok: false, reason: `could not run npm audit: ${result.error.message}` };
  return readAudit(result.stdout ?? "", result.stderr ?? "");
}

const serious = (reading: Extract<AuditReading, { ok: true }>) =>
  reading.findings.filter((f) => f.severity === "critical" || f.severity === "high");

function main(): number {
  const production = audit(["--omit=dev"]);
  const all = audit([]);
  const line = (scope: string, reading: AuditReading) =>
    reading.ok ? `${scope.padEnd(26)}${severities.map((s) => `${s} ${reading.counts[s]}`).join(", ")}` : `${scope.padEnd(26)}not checked`;
  console.log("Dependency advisories (npm audit, package-lock.json):");
  console.log(`  ${line("production dependencies", production)}`);
  console.log(`  ${line("all (production and dev)", all)}`);
  if (!production.ok) {
    console.error(`\nThe advisories could not be checked: ${production.reason}.`);
    console.error("This is not a pass. Run again where the npm registry's advisory endpoint is reachable (see docs/security.md).");
    return 2;
  }
  for (const finding of serious(production))
    console.error(
      `  ${finding.severity.toUpperCase()} ${finding.name}: ${finding.titles.join("; ")}${finding.fix ? ` — ${finding.fix}` : ""}`,
    );
  if (all.ok) {
    const devOnly = serious(all).filter((f) => !serious(production).some((p) => p.name === f.name));
    for (const finding of devOnly) console.log(`  (dev only) ${finding.severity} ${finding.name}: ${finding.titles.join("; ")}`);
  } else {
    console.log(`  (the whole tree could not be checked: ${all.reason})`);
  }
  if (serious(production).length) {
    const count = serious(production).length;
    console.error(`\n${count} production ${count === 1 ? "dependency has" : "dependencies have"} high or critical advisories.`);
    return 1;
  }
  console.log("\nNo high or critical advisory affects a production dependency.");
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main());
