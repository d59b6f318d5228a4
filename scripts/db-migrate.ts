// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database.
import { applyMigrations } from "../lib/db/schema-engine";
import { withDatabaseUrl } from "../local/database-url";

const applied = await withDatabaseUrl((url) => applyMigrations(url));
console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database schema is up to date");
process.exit(0);
