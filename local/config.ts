// The embedded stack's own settings (ports, the synthetic workload, the test
// harness), validated like the console's (lib/config): a malformed one stops
// the demo, the e2e server or the test run with its name. Listed in
// docs/configuration.md under "Embedded stack only".
import { z } from "zod";
import { ConfigError } from "../lib/config/config";
import { optional, whole, withDefault, type Variable } from "../lib/config/variables";

export const localVariableGroups = {
  demo: "Demo (`npm run demo`)",
  tests: "Tests",
  internal: "Set by the stack for its own processes",
} as const;
type LocalGroup = keyof typeof localVariableGroups;

const port = (fallback: number) => withDefault(whole(0, 65_535), fallback);
const flag = withDefault(z.enum(["0", "1"]), "0");
const local = <S extends z.ZodType>(group: LocalGroup, schema: S, meaning: string, shownDefault?: string): Variable<S, LocalGroup> => ({
  group,
  schema,
  meaning,
  shownDefault,
});

export const localVariables = {
  PORT: local("demo", port(3000), "the console's port (`npm run demo`, `npm run dev`)"),
  HOST: local("demo", withDefault(z.string().min(1), "127.0.0.1"), "the address the demo's console listens on"),
  PGPORT: local("demo", port(54329), "embedded PostgreSQL's port"),
  DYNAMODB_PORT: local("demo", port(54330), "local DynamoDB's (dynalite's) port"),
  CLOUDWATCH_PORT: local("demo", port(54331), "the local CloudWatch endpoint's port"),
  DEMO_SKIP_BUILD: local("demo", flag, "`1`: `npm run demo` reuses the last production build in `.next/` instead of building"),
  WORKLOAD_SCENARIO: local(
    "demo",
    optional(z.string().min(1)),
    "the synthetic workload's traffic shapes ([the local stack](local-stack.md#the-synthetic-workload))",
    "`local/workload/scenario.json`",
  ),

  E2E_PORT: local("tests", port(3100), "the e2e suite's console"),
  E2E_PG_PORT: local("tests", port(0), "the e2e suite's in-memory database"),
  E2E_DYNAMODB_PORT: local("tests", port(0), "the e2e suite's DynamoDB"),
  E2E_CLOUDWATCH_PORT: local("tests", port(0), "the e2e suite's CloudWatch endpoint"),
  E2E_BACKFILL_HOURS: local(
    "tests",
    withDefault(whole(0, 24 * 14), 24),
    "hours of metrics the e2e suite's workload backfills before the tests start",
  ),
  E2E_SKIP_BUILD: local("tests", flag, "`1`: `npm run test:e2e` reuses the last build"),
  NEXT_BUILD_SKIP_TYPECHECK: local(
    "tests",
    flag,
    "`1`: `next build` skips its type check; `npm test` sets it for the end-to-end build, after its own typecheck stage",
  ),
  CHROMIUM_PATH: local("tests", optional(z.string().min(1)), "the Chromium Playwright drives", "the Chromium the e2e suite drives"),
  TEST_DATABASE_URL: local(
    "tests",
    withDefault(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"), "postgresql://tsc:tsc@127.0.0.1:5432/tsc_test"),
    "the real PostgreSQL 15 the integration tests create their throwaway databases on (the role needs CREATEDB)",
  ),

  LOCAL_AWS_DATA_DIR: local("internal", optional(z.string()), "where dynalite and the CloudWatch endpoint keep data (unset: in memory)"),
  WORKLOAD_STATE_FILE: local(
    "internal",
    optional(z.string()),
    "where the workload records how far it has run, to fill the gap after a restart",
  ),
  WORKLOAD_TICK_MS: local(
    "internal",
    withDefault(whole(10, 60_000), 1_000),
    "how often the synthetic workload admits and sends a round of requests",
  ),
  WORKLOAD_PUBLISH_MS: local(
    "internal",
    withDefault(whole(100, 600_000), 10_000),
    "how often the synthetic workload publishes its metrics",
  ),
  WORKLOAD_BACKFILL_HOURS: local(
    "internal",
    withDefault(whole(0, 24 * 14), 24),
    "hours of metric history the workload backfills on first start",
  ),
  WORKLOAD_SEED: local("internal", withDefault(whole(0, 2 ** 31), 42), "the seed of the synthetic workload's randomness"),
} satisfies Record<string, Variable<z.ZodType, LocalGroup>>;

type Shape = { [K in keyof typeof localVariables]: (typeof localVariables)[K]["schema"] };
const schema = z.object(Object.fromEntries(Object.entries(localVariables).map(([name, variable]) => [name, variable.schema])) as Shape);
export type LocalConfig = z.infer<typeof schema>;

export function loadLocalConfig(env: Record<string, string | undefined>): LocalConfig {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  return result.data;
}

export function localConfig(): LocalConfig {
  return loadLocalConfig(process.env);
}
