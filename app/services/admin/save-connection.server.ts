import { config } from "../../config.server";
import { db, type Database } from "../../db.server";
import { isSirError } from "../../sir";
import { ConnectionError, connectShop } from "../connect-shop.server";
import { adminSirClient } from "./sir-admin-client.server";
import { sirFailureSentence } from "./sir-failure-sentence.server";
import { testConnection } from "./connection-test.server";
import { AdminApiError, type AdminGraphql } from "./admin-graphql.server";
import { writeWidgetSettings } from "./storefront-widget.server";
import type { ConnectionFormErrors, ConnectionFormInput } from "./connection-form.server";

export type SaveConnectionResult =
  | {
      ok: true;
      /** Set when SIR accepted the keys but refused to register the app's webhook. */
      webhookWarning: string | null;
      /** Set when the keys were saved but the storefront widget could not be configured. */
      widgetWarning: string | null;
    }
  | { ok: false; message: string | null; errors: ConnectionFormErrors };

async function checkNonprofit(input: ConnectionFormInput): Promise<SaveConnectionResult | null> {
  if (!input.defaultNonprofit) return null;
  try {
    await adminSirClient(input).getOrganization(input.defaultNonprofit);
    return null;
  } catch (error) {
    // SIR answers 404 (VALIDATION to the client) for a nonprofit it does not list.
    if (isSirError(error) && error.code === "VALIDATION") {
      const message = `SIR lists no nonprofit called "${input.defaultNonprofit}". Check the name in SIR's directory.`;
      return { ok: false, message: null, errors: { defaultNonprofit: message } };
    }
    const message = sirFailureSentence(error, { apiUrl: input.apiUrl, keyKind: "publishable" });
    return { ok: false, message, errors: {} };
  }
}

/**
 * Saves the connection: the same checks as "Test connection" (so keys that
 * cannot reverse are refused with the same sentence), the default nonprofit,
 * then connectShop (stores the keys encrypted, registers SIR's webhook), then
 * the widget's public settings in the shop's app-data metafields.
 */
export async function saveConnection(
  shopDomain: string,
  input: ConnectionFormInput,
  graphql: AdminGraphql,
  database: Database = db,
): Promise<SaveConnectionResult> {
  const test = await testConnection(input);
  if (!test.ok) return { ok: false, message: test.message, errors: {} };
  const nonprofitProblem = await checkNonprofit(input);
  if (nonprofitProblem) return nonprofitProblem;

  let webhookWarning: string | null = null;
  try {
    const connected = await connectShop(
      {
        shopDomain,
        environment: input.environment,
        apiUrl: input.customApiUrl,
        publicKey: input.publicKey,
        secretKey: input.secretKey,
        hmacSecret: input.hmacSecret,
        defaultNonprofit: input.defaultNonprofit,
        appUrl: config.shopifyAppUrl,
      },
      database,
    );
    if (!connected.webhookRegistered) {
      webhookWarning = `Your keys are saved, but SIR did not agree to notify the app of its events (${connected.webhookError}). Rewards still work; save again later to retry.`;
    }
  } catch (error) {
    if (error instanceof ConnectionError) return { ok: false, message: error.message, errors: {} };
    throw error;
  }

  let widgetWarning: string | null = null;
  try {
    await writeWidgetSettings(graphql, {
      publishableKey: input.publicKey,
      apiBaseUrl: input.apiUrl,
      environment: input.environment,
      defaultNonprofit: input.defaultNonprofit,
    });
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    widgetWarning = `Your keys are saved, but the storefront donate widget could not be set up: ${error.message} Save again to retry.`;
  }
  return { ok: true, webhookWarning, widgetWarning };
}
