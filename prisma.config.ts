import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (`prisma generate`, and `prisma migrate deploy`
// where Prisma's schema-engine binary can be downloaded). The console itself
// migrates with scripts/db-migrate.ts and connects through @prisma/adapter-pg.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused",
  },
});
