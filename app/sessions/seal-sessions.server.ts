import { isSealed, secretBox, type SecretBox } from "../crypto/encryption.server";
import { config } from "../config.server";
import { db, providerFor, type Database } from "../db.server";
import { logger } from "../logger.server";

const log = logger.child({ component: "session-storage" });

export type SealSessionsResult = { sealed: number };

const needsSealing = (value: string | null) => !!value && !isSealed(value);

/**
 * Seals every Shopify token still stored in plain text (rows written before
 * tokens were encrypted). Idempotent, and run at start before the server
 * answers, so no plain-text token outlives an upgrade. Each row is updated
 * only if it still holds the plain text that was read (a concurrent sign-in
 * wins). On SQLite the old bytes are overwritten (secure_delete) and the WAL
 * emptied; on PostgreSQL the table is rewritten so no dead row keeps them.
 */
export async function sealPlaintextSessions(
  database: Database = db,
  options: { box?: SecretBox; databaseUrl?: string } = {},
): Promise<SealSessionsResult> {
  const box = options.box ?? secretBox();
  const provider = providerFor(options.databaseUrl ?? config.databaseUrl);
  const rows = await database.session.findMany({
    select: { id: true, accessToken: true, refreshToken: true },
  });
  const plain = rows.filter(
    (row) => needsSealing(row.accessToken) || needsSealing(row.refreshToken),
  );
  if (plain.length === 0) return { sealed: 0 };

  if (provider === "sqlite") await database.$queryRawUnsafe("PRAGMA secure_delete = ON");
  let sealed = 0;
  try {
    for (const row of plain) {
      const { count } = await database.session.updateMany({
        where: { id: row.id, accessToken: row.accessToken, refreshToken: row.refreshToken },
        data: {
          accessToken: needsSealing(row.accessToken)
            ? box.encrypt(row.accessToken)
            : row.accessToken,
          refreshToken: needsSealing(row.refreshToken)
            ? box.encrypt(row.refreshToken!)
            : row.refreshToken,
        },
      });
      sealed += count;
    }
  } finally {
    if (provider === "sqlite") await database.$queryRawUnsafe("PRAGMA secure_delete = OFF");
  }
  await eraseOldVersions(database, provider, ["Session"]);
  log.info("Sealed Shopify tokens stored in plain text", { sessions: sealed });
  return { sealed };
}

/**
 * After values were overwritten (with secure_delete on, on SQLite): leaves no
 * old copy of them in the database's files.
 */
export async function eraseOldVersions(
  database: Database,
  provider: "sqlite" | "postgresql",
  tables: string[],
) {
  try {
    if (provider === "sqlite") {
      // The WAL still holds the pages as they were; fold it in and empty it.
      await database.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    } else {
      // Dead row versions keep the old values on disk until the table is rewritten.
      for (const table of tables) await database.$executeRawUnsafe(`VACUUM FULL "${table}"`);
    }
  } catch (error) {
    log.warn("Could not erase the old copies of overwritten secrets", {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
}
