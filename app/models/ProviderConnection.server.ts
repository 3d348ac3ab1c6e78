import { db, type Database } from "../db.server";
import { secretBox } from "../crypto/encryption.server";
import { registerSecret } from "../log-redaction.server";
import { SqlStatement } from "./sql.server";

export type SirEnvironment = "sandbox" | "production";

// Documented SIR hosts; a shop may point at any SIR-compatible URL instead
// (the local sandbox, or a test double).
export const SIR_BASE_URLS: Record<SirEnvironment, string> = {
  sandbox: "https://devapi.sirgiving.org",
  production: "https://api.sirgiving.org",
};

export type ConnectionInput = {
  shopDomain: string;
  environment: SirEnvironment;
  apiUrl?: string | null;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  defaultNonprofit?: string | null;
};

export type ConnectionCredentials = {
  apiUrl: string;
  environment: SirEnvironment;
  publicKey: string;
  secretKey: string;
  hmacSecret: string;
  webhookSecret: string | null;
};

export async function saveConnection(input: ConnectionInput, database: Database = db) {
  const box = secretBox();
  const data = {
    environment: input.environment,
    apiUrl: input.apiUrl || SIR_BASE_URLS[input.environment],
    publicKey: input.publicKey,
    // Known to the log redaction from the moment the app holds them.
    secretKeyEnc: box.encrypt(registerSecret(input.secretKey)),
    hmacSecretEnc: box.encrypt(registerSecret(input.hmacSecret)),
    defaultNonprofit: input.defaultNonprofit ?? null,
  };
  return database.providerConnection.upsert({
    where: { shopDomain: input.shopDomain },
    create: { shopDomain: input.shopDomain, ...data },
    update: data,
  });
}

export function findConnection(shopDomain: string, database: Database = db) {
  return database.providerConnection.findUnique({ where: { shopDomain } });
}

// Null until the app has registered its SIR webhook.
const decryptWebhookSecret = (encrypted: string | null) =>
  encrypted ? registerSecret(secretBox().decrypt(encrypted)) : null;

/**
 * The shop's SIR webhook secret, decrypted; null for an unknown shop or before the app has
 * registered its webhook. Read on every SIR delivery, so only that column, in plain SQL.
 */
export async function findWebhookSecret(shopDomain: string, database: Database = db) {
  const [row] = await new SqlStatement()
    .text(`SELECT "webhookSecretEnc" FROM "ProviderConnection" WHERE "shopDomain" = `)
    .value(shopDomain)
    .query<{ webhookSecretEnc: string | null }>(database);
  return decryptWebhookSecret(row?.webhookSecretEnc ?? null);
}

type ConnectionRow = NonNullable<Awaited<ReturnType<typeof findConnection>>>;

export function decryptCredentials(row: ConnectionRow): ConnectionCredentials {
  const box = secretBox();
  return {
    apiUrl: row.apiUrl,
    environment: row.environment as SirEnvironment,
    publicKey: row.publicKey,
    secretKey: registerSecret(box.decrypt(row.secretKeyEnc)),
    hmacSecret: registerSecret(box.decrypt(row.hmacSecretEnc)),
    webhookSecret: decryptWebhookSecret(row.webhookSecretEnc),
  };
}

export async function saveWebhookRegistration(
  shopDomain: string,
  webhook: { id: string; secret: string },
  database: Database = db,
) {
  await database.providerConnection.update({
    where: { shopDomain },
    data: {
      webhookId: webhook.id,
      webhookSecretEnc: secretBox().encrypt(registerSecret(webhook.secret)),
    },
  });
}

export async function markPoolEmpty(shopDomain: string, database: Database = db) {
  await database.providerConnection.updateMany({
    where: { shopDomain, poolEmptySince: null },
    data: { poolEmptySince: new Date() },
  });
}

export async function clearPoolEmpty(shopDomain: string, database: Database = db) {
  await database.providerConnection.updateMany({
    where: { shopDomain },
    data: { poolEmptySince: null, poolCheckedAt: new Date() },
  });
}

export function shopsWithEmptyPool(checkedBefore: Date, database: Database = db) {
  return database.providerConnection.findMany({
    where: {
      poolEmptySince: { not: null },
      OR: [{ poolCheckedAt: null }, { poolCheckedAt: { lt: checkedBefore } }],
    },
    select: { shopDomain: true },
  });
}

export async function notePoolChecked(shopDomain: string, database: Database = db) {
  await database.providerConnection.update({
    where: { shopDomain },
    data: { poolCheckedAt: new Date() },
  });
}

// ---------------------------------------------------------------------------------------------
// Sending mode: batches, or one by one while the platform's batch call is unavailable
// ---------------------------------------------------------------------------------------------

/** How long a connection sending one by one waits before trying the batch call again. */
export const BULK_REPROBE_MS = 60 * 60_000;

export type SendingMode = {
  batching: "bulk" | "one_by_one";
  /** When the batch call was found unavailable; null while batching. */
  since: Date | null;
};

type BulkColumns = { bulkUnavailableSince: Date | null; bulkCheckedAt: Date | null };

/** What a connection row says of how its purchases are sent (the admin card, the CLI). */
export function describeSendingMode(row: Pick<BulkColumns, "bulkUnavailableSince">): SendingMode {
  return row.bulkUnavailableSince
    ? { batching: "one_by_one", since: row.bulkUnavailableSince }
    : { batching: "bulk", since: null };
}

/** The sentence the admin and the CLI show for one-by-one sending; null while batching. */
export function sendingModeSentence(mode: SendingMode): string | null {
  if (mode.batching === "bulk") return null;
  return `Sending one by one: SIR's bulk endpoint is unavailable${mode.since ? ` (since ${mode.since.toISOString()})` : ""}.`;
}

/**
 * Whether the next batch of the shop's purchases should try the batch call (`tryBatch`): yes
 * while it works, and once per BULK_REPROBE_MS while it is marked unavailable (`unavailable`).
 */
export async function batchingFor(
  shopDomain: string,
  database: Database = db,
  now: number = Date.now(),
): Promise<{ tryBatch: boolean; unavailable: boolean }> {
  const row = await database.providerConnection.findUnique({
    where: { shopDomain },
    select: { bulkUnavailableSince: true, bulkCheckedAt: true },
  });
  if (!row?.bulkUnavailableSince) return { tryBatch: true, unavailable: false };
  const checkedAt = row.bulkCheckedAt ?? row.bulkUnavailableSince;
  return { tryBatch: now - checkedAt.getTime() >= BULK_REPROBE_MS, unavailable: true };
}

// Plain SQL, so these bookkeeping writes leave updatedAt (the connection's settings version,
// which the provider cache and the admin's "saved" time follow) alone.

/** The batch call was refused as unavailable: keep the first time, note this check. */
export async function markBatchingUnavailable(shopDomain: string, database: Database = db) {
  const now = new Date();
  await new SqlStatement()
    .text(
      `UPDATE "ProviderConnection" SET "bulkUnavailableSince" = COALESCE("bulkUnavailableSince", `,
    )
    .value(now)
    .text(`), "bulkCheckedAt" = `)
    .value(now)
    .text(` WHERE "shopDomain" = `)
    .value(shopDomain)
    .execute(database);
}

/** The batch call worked: back to batches (a no-op while batching already). */
export async function markBatchingAvailable(shopDomain: string, database: Database = db) {
  await new SqlStatement()
    .text(`UPDATE "ProviderConnection" SET "bulkUnavailableSince" = NULL, "bulkCheckedAt" = `)
    .value(new Date())
    .text(` WHERE "shopDomain" = `)
    .value(shopDomain)
    .text(` AND "bulkUnavailableSince" IS NOT NULL`)
    .execute(database);
}

/** Shops whose rewards are paused until their token pool is refilled (for /metrics). */
export function countPausedShops(database: Database = db) {
  return database.providerConnection.count({ where: { poolEmptySince: { not: null } } });
}

// ---------------------------------------------------------------------------------------------
// Reversal precision: 2 decimals (ASSUMED), or whole percentages once the platform refused one
// ---------------------------------------------------------------------------------------------

/** Whether the shop's reversals go in whole percentages (the platform refused decimals). */
export async function reversalsInWholePercent(shopDomain: string, database: Database = db) {
  const row = await database.providerConnection.findUnique({
    where: { shopDomain },
    select: { reversalWholePercentSince: true },
  });
  return row?.reversalWholePercentSince != null;
}

/** The platform refused a fractional reversal percentage: whole percentages from now on. */
export async function markReversalsWholePercent(shopDomain: string, database: Database = db) {
  await new SqlStatement()
    .text(`UPDATE "ProviderConnection" SET "reversalWholePercentSince" = COALESCE(`)
    .text(`"reversalWholePercentSince", `)
    .value(new Date())
    .text(`) WHERE "shopDomain" = `)
    .value(shopDomain)
    .execute(database);
}

// ---------------------------------------------------------------------------------------------
// The platform's reward multiplier, as last read for the shopper estimate
// ---------------------------------------------------------------------------------------------

/** Kept beside the estimate metafield, so a pending order's "about N" asks the platform nothing. */
export async function saveRewardMultiplier(
  shopDomain: string,
  multiplier: string,
  database: Database = db,
) {
  await new SqlStatement()
    .text(`UPDATE "ProviderConnection" SET "rewardMultiplier" = `)
    .value(multiplier)
    .text(` WHERE "shopDomain" = `)
    .value(shopDomain)
    .execute(database);
}

/** The multiplier last read, or null before the first estimate refresh. */
export async function findRewardMultiplier(shopDomain: string, database: Database = db) {
  const row = await database.providerConnection.findUnique({
    where: { shopDomain },
    select: { rewardMultiplier: true },
  });
  return row?.rewardMultiplier ?? null;
}
