// Prisma's schema engine, run as WebAssembly through the pg driver adapter, so
// migrations apply with no downloaded binary. The migrations folder keeps
// Prisma's standard layout, so `prisma migrate deploy` applies the same files
// wherever Prisma's binary is available.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import type * as SchemaEngineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { config } from "../config/config";

const require = createRequire(import.meta.url);
const emptyFilter = { externalTables: [], externalEnums: [] };

export const schemaPath = path.resolve("prisma/schema.prisma");
export const migrationsDir = path.resolve("prisma/migrations");

let panicMessage: string | undefined;
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message: string) {
    panicMessage = message;
  },
};

type Bindings = typeof SchemaEngineBindings;
let bindings: Promise<Bindings> | undefined;

/** Instantiates the WASM module by hand so no --experimental-wasm-modules flag is needed. */
function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg: Bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start?: () => void };
    (bg as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start?.();
    return bg;
  })();
  return bindings;
}

async function withEngine<T>(connectionString: string, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadBindings();
  const datamodel = await readFile(schemaPath, "utf8");
  const factory = new PrismaPg({ connectionString });
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    (log: string) => {
      if (config().PRISMA_ENGINE_DEBUG) console.error(log);
    },
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await run(engine);
  } catch (error) {
    if (panicMessage) throw new Error(`schema engine panicked: ${panicMessage}`, { cause: error });
    throw error;
  } finally {
    engine.free();
  }
}

async function readMigrations(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: await readFile(lockPath, "utf8").catch(() => null),
    },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => {
        const file = path.join(migrationsDir, dir, "migration.sql");
        const content = await readFile(file, "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: dir, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

/** Applies every migration not yet recorded in `_prisma_migrations`. Idempotent. */
export async function applyMigrations(connectionString: string): Promise<string[]> {
  return withEngine(connectionString, async (engine) => {
    const result = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: emptyFilter,
    });
    return result.appliedMigrationNames;
  });
}

/** SQL that takes the schema the migrations build to the one in schema.prisma; empty when none is needed. */
export async function diffMigrationsToSchema(scratchUrl: string): Promise<string> {
  const datamodel = await readFile(schemaPath, "utf8");
  const migrations = await readMigrations();
  return withEngine(scratchUrl, async (engine) => {
    // Replaying migrations needs a shadow database, which the adapter cannot give;
    // so the previous state is the datamodel kept beside the latest migration (only there: db:diff moves it along).
    const previous = migrations.migrationDirectories.at(-1);
    const previousDatamodel = previous
      ? await readFile(path.join(migrationsDir, previous.path, "schema.prisma"), "utf8").catch(() => null)
      : null;
    if (previous && previousDatamodel === null) {
      throw new Error(
        `prisma/migrations/${previous.path}/schema.prisma is missing: the latest migration's datamodel is what a new migration is diffed from`,
      );
    }
    const result = await engine.diff({
      from: previousDatamodel ? { tag: "schemaDatamodel", files: [{ path: schemaPath, content: previousDatamodel }] } : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: emptyFilter,
    });
    return result.stdout ?? "";
  });
}
