// `npm run db:seed`: the demo fleet and demo users, created where missing (idempotent).
import { createDb } from "../lib/db/client";
import { withDatabaseUrl } from "../local/database-url";
import { seedCatalog } from "./seed-catalog";

const summary = await withDatabaseUrl(async (url) => {
  const db = createDb(url, 1);
  try {
    return await seedCatalog(db);
  } finally {
    await db.$disconnect();
  }
});
console.log(
  `seeded: ${summary.plans} plan(s), ${summary.instances} storage instance(s), ${summary.tenants} tenant(s), ${summary.users} user(s) created; existing rows left as they were`,
);
process.exit(0);
