// Writing and reading the gzip-compressed JSON-lines files of a backup: shared with an offboarding's final export, so they
// live in lib/storage/item-files.ts.
export { CorruptBackup, FileSetWriter, readItemFile as readBackupFile } from "../storage/item-files";
