import { isSealed, secretBox, type SecretBox } from "../crypto/encryption.server";
import { config } from "../config.server";
import { db, providerFor, type Database } from "../db.server";
import { eraseOldVersions } from "../sessions/seal-sessions.server";
import { logger } from "../logger.server";

const log = logger.child({ component: "rotate-keys" });

// `npm run cli -- keys rotate`: every stored secret re-encrypted to the
// current ENCRYPTION_KEY. Values sealed with ENCRYPTION_KEY_PREVIOUS (or in
// the v1 format, or Shopify tokens still in plain text) are opened and sealed
// again; values already under the current key are left as they are, so a
// second run changes nothing. Each row is written only if it still holds what
// was read (a concurrent save wins, and is read again). Once it reports no
// failures, ENCRYPTION_KEY_PREVIOUS can be removed.

type Column = { table: "ProviderConnection" | "Session"; field: string };

export const SEALED_COLUMNS: Column[] = [
  { table: "ProviderConnection", field: "secretKeyEnc" },
  { table: "ProviderConnection", field: "hmacSecretEnc" },
  { table: "ProviderConnection", field: "webhookSecretEnc" },
  { table: "Session", field: "accessToken" },
  { table: "Session", field: "refreshToken" },
];

export type RotationFailure = { table: string; id: string; shop: string; reason: string };

export type RotationResult = {
  /** The id of the key everything is now sealed with. */
  keyId: string;
  /** Values sealed again with the current key (from a previous key or the v1 format). */
  reencrypted: number;
  /** Shopify tokens that were still plain text, now sealed. */
  sealedPlaintext: number;
  /** Values already under the current key, left alone. */
  alreadyCurrent: number;
  /** Rows that had at least one value rewritten, per table. */
  rows: { providerConnections: number; sessions: number };
  /** Values no key this server holds opens: left as they are. */
  failures: RotationFailure[];
};

type Row = { id: string; shop: string; values: Record<string, string | null> };

const MAX_ATTEMPTS = 3;

async function readRows(database: Database, table: Column["table"], id?: string): Promise<Row[]> {
  if (table === "ProviderConnection") {
    const rows = await database.providerConnection.findMany({
      where: id ? { id } : undefined,
      select: {
        id: true,
        shopDomain: true,
        secretKeyEnc: true,
        hmacSecretEnc: true,
        webhookSecretEnc: true,
      },
      orderBy: { id: "asc" },
    });
    return rows.map(({ id: rowId, shopDomain, ...values }) => ({
      id: rowId,
      shop: shopDomain,
      values,
    }));
  }
  const rows = await database.session.findMany({
    where: id ? { id } : undefined,
    select: { id: true, shop: true, accessToken: true, refreshToken: true },
    orderBy: { id: "asc" },
  });
  return rows.map(({ id: rowId, shop, ...values }) => ({ id: rowId, shop, values }));
}

async function writeRow(
  database: Database,
  table: Column["table"],
  row: Row,
  changes: Record<string, string>,
): Promise<boolean> {
  // Only over what was read: a value saved meanwhile is not overwritten.
  const where = { id: row.id, ...row.values };
  const { count } =
    table === "ProviderConnection"
      ? await database.providerConnection.updateMany({ where, data: changes })
      : await database.session.updateMany({ where, data: changes });
  return count === 1;
}

export async function rotateKeys(
  database: Database = db,
  options: { box?: SecretBox; databaseUrl?: string } = {},
): Promise<RotationResult> {
  const box = options.box ?? secretBox();
  const result: RotationResult = {
    keyId: box.keyId,
    reencrypted: 0,
    sealedPlaintext: 0,
    alreadyCurrent: 0,
    rows: { providerConnections: 0, sessions: 0 },
    failures: [],
  };
  const tables = ["ProviderConnection", "Session"] as const;
  const provider = providerFor(options.databaseUrl ?? config.databaseUrl);
  if (provider === "sqlite") await database.$queryRawUnsafe("PRAGMA secure_delete = ON");
  try {
    for (const table of tables) {
      const fields = SEALED_COLUMNS.filter((column) => column.table === table).map((c) => c.field);
      for (let row of await readRows(database, table)) {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const changes: Record<string, string> = {};
          let reencrypted = 0;
          let sealedPlaintext = 0;
          let current = 0;
          let failure: string | null = null;
          for (const field of fields) {
            const value = row.values[field];
            if (!value) continue;
            if (!isSealed(value)) {
              if (table === "Session") {
                changes[field] = box.encrypt(value);
                sealedPlaintext++;
              } else {
                failure = `${field} is not a sealed value`;
              }
              continue;
            }
            if (!box.needsResealing(value)) {
              current++;
              continue;
            }
            try {
              changes[field] = box.encrypt(box.decrypt(value));
              reencrypted++;
            } catch (error) {
              failure = `${field}: ${error instanceof Error ? error.message : String(error)}`;
            }
          }
          if (failure) {
            result.failures.push({ table, id: row.id, shop: row.shop, reason: failure });
            break;
          }
          if (
            Object.keys(changes).length === 0 ||
            (await writeRow(database, table, row, changes))
          ) {
            result.reencrypted += reencrypted;
            result.sealedPlaintext += sealedPlaintext;
            result.alreadyCurrent += current;
            if (Object.keys(changes).length > 0) {
              if (table === "Session") result.rows.sessions++;
              else result.rows.providerConnections++;
            }
            break;
          }
          // Changed meanwhile (a save, a sign-in, a deletion): read it again.
          const [fresh] = await readRows(database, table, row.id);
          if (!fresh) break;
          row = fresh;
          if (attempt === MAX_ATTEMPTS) {
            result.failures.push({
              table,
              id: row.id,
              shop: row.shop,
              reason: "the row kept changing; run the rotation again",
            });
          }
        }
      }
    }
  } finally {
    if (provider === "sqlite") await database.$queryRawUnsafe("PRAGMA secure_delete = OFF");
  }
  if (result.reencrypted + result.sealedPlaintext > 0) {
    await eraseOldVersions(database, provider, [...tables]);
  }
  log.info("Stored secrets rotated to the current key", {
    keyId: result.keyId,
    reencrypted: result.reencrypted,
    sealedPlaintext: result.sealedPlaintext,
    alreadyCurrent: result.alreadyCurrent,
    failures: result.failures.length,
  });
  return result;
}

/** What `keys rotate` prints. */
export function rotationSummary(result: RotationResult): string {
  const lines = [
    `Re-encrypted ${result.reencrypted} stored secret${result.reencrypted === 1 ? "" : "s"} with key ${result.keyId} (${result.rows.providerConnections} shop connection${result.rows.providerConnections === 1 ? "" : "s"}, ${result.rows.sessions} Shopify session${result.rows.sessions === 1 ? "" : "s"}); sealed ${result.sealedPlaintext} plain-text Shopify token${result.sealedPlaintext === 1 ? "" : "s"}; ${result.alreadyCurrent} already under the current key.`,
  ];
  for (const failure of result.failures) {
    lines.push(`Not rotated: ${failure.table} of ${failure.shop} (${failure.reason}).`);
  }
  if (result.failures.length === 0) {
    lines.push(
      "Every stored secret is under the current key: ENCRYPTION_KEY_PREVIOUS can be removed.",
    );
  }
  return lines.join("\n");
}
