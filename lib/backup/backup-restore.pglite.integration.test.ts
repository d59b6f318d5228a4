// Backups and restores (lib/backup/__tests__/backups-and-restores.ts) on PGlite; the PostgreSQL 15 half is a file of its own, so the two run side by side.
import { testDatabase } from "../db/__tests__/databases";
import { backupsAndRestoresOn } from "./__tests__/backups-and-restores";

backupsAndRestoresOn(testDatabase("pglite"));
