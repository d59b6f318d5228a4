// The configuration, validated once at start-up of each process (the console
// in instrumentation.ts, the worker in scripts/worker.ts, the demo before it
// starts either): a missing or malformed variable stops the process with its
// name. Code reads settings through `config()`, never process.env.
import { z } from "zod";
import { variables, type VariableName } from "./variables";

type Shape = { [K in VariableName]: (typeof variables)[K]["schema"] };
const shape = Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, variable.schema])) as Shape;

/** What each process cannot start without, and where the value usually comes from. */
const requiredBy = {
  console: {
    DATABASE_URL: "npm run demo sets it to the embedded database",
    NEXTAUTH_SECRET: "any random string of 32+ characters; npm run demo generates one",
    AWS_REGION: "npm run demo sets it for the local endpoints",
  },
  worker: {
    DATABASE_URL: "npm run demo sets it to the embedded database",
    AWS_REGION: "npm run demo sets it for the local endpoints",
    BACKUP_STORE: "a directory, or s3://bucket/prefix; npm run demo sets .data/backups",
  },
  fleetImport: {
    DATABASE_URL: "the catalog's database (npm run demo prints it and writes it to .data/database-url)",
    AWS_REGION: "the region of the routing table",
  },
} as const satisfies Record<string, Partial<Record<VariableName, string>>>;

export type ProcessRole = keyof typeof requiredBy;

const schema = z.object(shape).superRefine((env, ctx) => {
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    ctx.addIssue({
      code: "custom",
      path: ["OIDC_ISSUER"],
      message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
    });
  }
  if (env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["ALERT_WEBHOOK_SECRET"],
      message: "is required with ALERT_WEBHOOK_URL (webhook bodies are signed with it)",
    });
  }
  if (env.AUTH_PASSWORD_SIGNIN === "off" && !env.OIDC_ISSUER) {
    ctx.addIssue({
      code: "custom",
      path: ["AUTH_PASSWORD_SIGNIN"],
      message: "AUTH_PASSWORD_SIGNIN=off leaves no way to sign in unless OIDC_ISSUER is configured",
    });
  }
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join("\n")}`);
  }
}

/**
 * Parses `env` (values are never echoed: some are secrets). With a role, the
 * variables that process cannot run without are required too.
 */
export function loadConfig(env: Record<string, string | undefined>, role?: ProcessRole): Config {
  const isSet = (name: string) => Boolean(env[name]) || (name === "AWS_REGION" && Boolean(env.AWS_DEFAULT_REGION));
  const missing = Object.entries(role ? requiredBy[role] : {})
    .filter(([name]) => !isSet(name))
    .map(([name, hint]) => `${name}: is not set (${hint})`);
  const result = schema.safeParse(env);
  const malformed = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(environment)"}: ${issue.message}`);
  if (missing.length || !result.success) throw new ConfigError([...missing, ...malformed]);
  return result.data;
}

const holder = globalThis as unknown as { __tenantConsoleConfig?: Config };

const names = Object.keys(variables);
let lastRead: { key: string; settings: Config } | undefined;

/**
 * The process's configuration as validated at start-up; a process that did not
 * start with one (a test, a benchmark, a tool) reads the environment as it is
 * now, parsing again only when one of the variables changed.
 */
export function config(): Config {
  if (holder.__tenantConsoleConfig) return holder.__tenantConsoleConfig;
  const key = names.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (lastRead?.key !== key) lastRead = { key, settings: loadConfig(process.env) };
  return lastRead.settings;
}

/** Validates the environment for this process's role at start-up; throws a ConfigError naming every bad variable. */
export function startWithConfig(role: ProcessRole): Config {
  holder.__tenantConsoleConfig = loadConfig(process.env, role);
  return holder.__tenantConsoleConfig;
}

/** The region of the routing table, the metrics and new tables. */
export function defaultRegion(settings: Pick<Config, "AWS_REGION" | "AWS_DEFAULT_REGION"> = config()): string {
  const region = settings.AWS_REGION ?? settings.AWS_DEFAULT_REGION;
  if (!region) throw new ConfigError([`AWS_REGION: is not set (${requiredBy.console.AWS_REGION})`]);
  return region;
}
