-- AlterTable
ALTER TABLE "StorageInstance" ADD COLUMN     "keyScheme" JSONB;
