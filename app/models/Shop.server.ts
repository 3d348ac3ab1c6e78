import { db, type Database } from "../db.server";

// Called after every successful OAuth: a reinstall starts a new installation.
export async function recordInstallation(domain: string, database: Database = db) {
  const now = new Date();
  await database.shop.upsert({
    where: { domain },
    create: { domain, installedAt: now },
    update: { installedAt: now, uninstalledAt: null },
  });
}

export function findShop(domain: string, database: Database = db) {
  return database.shop.findUnique({ where: { domain } });
}
