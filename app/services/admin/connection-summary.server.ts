import { db, type Database } from "../../db.server";
import { secretBox } from "../../crypto/encryption.server";
import {
  SIR_BASE_URLS,
  decryptCredentials,
  describeSendingMode,
  findConnection,
  sendingModeSentence,
  type SirEnvironment,
} from "../../models/ProviderConnection.server";

/** What the settings page may show of a stored connection: no secret, only its last four characters. */
export type ConnectionSummary = {
  environment: SirEnvironment;
  customApiUrl: string | null;
  publicKey: string;
  secretKeyHint: string;
  hmacSecretHint: string;
  webhookRegistered: boolean;
  defaultNonprofit: string | null;
  updatedAt: string;
  /** "Sending one by one: SIR's bulk endpoint is unavailable (since …)." while it is; else null. */
  sendingNote: string | null;
};

export async function connectionSummary(
  shopDomain: string,
  database: Database = db,
): Promise<ConnectionSummary | null> {
  const row = await findConnection(shopDomain, database);
  if (!row) return null;
  const credentials = decryptCredentials(row);
  const box = secretBox();
  return {
    environment: credentials.environment,
    customApiUrl: row.apiUrl === SIR_BASE_URLS[credentials.environment] ? null : row.apiUrl,
    publicKey: row.publicKey,
    secretKeyHint: box.hint(credentials.secretKey),
    hmacSecretHint: box.hint(credentials.hmacSecret),
    webhookRegistered: row.webhookId !== null,
    defaultNonprofit: row.defaultNonprofit,
    updatedAt: row.updatedAt.toISOString(),
    sendingNote: sendingModeSentence(describeSendingMode(row)),
  };
}
