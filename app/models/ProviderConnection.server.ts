import { db, type Database } from "../db.server";
import { secretBox } from "../crypto/encryption.server";
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
    secretKeyEnc: box.encrypt(input.secretKey),
    hmacSecretEnc: box.encrypt(input.hmacSecret),
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
  encrypted ? secretBox().decrypt(encrypted) : null;

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
    secretKey: box.decrypt(row.secretKeyEnc),
    hmacSecret: box.decrypt(row.hmacSecretEnc),
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
    data: { webhookId: webhook.id, webhookSecretEnc: secretBox().encrypt(webhook.secret) },
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
