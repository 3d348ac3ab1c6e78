import { config } from "../../config.server";
import { nonDefaultCurrencyExponents } from "../../rewards/calculation/currency";
import type { SirEnvironment } from "../../models/ProviderConnection.server";
import {
  CURRENT_APP_INSTALLATION_QUERY,
  type CurrentAppInstallationData,
} from "../../graphql/CurrentAppInstallationQuery";
import {
  SET_WIDGET_METAFIELDS_MUTATION,
  type MetafieldsSetInput,
  type SetWidgetMetafieldsData,
} from "../../graphql/SetWidgetMetafieldsMutation";
import {
  DELETE_WIDGET_METAFIELDS_MUTATION,
  type DeleteWidgetMetafieldsData,
} from "../../graphql/DeleteWidgetMetafieldsMutation";
import { AdminApiError, runAdminGraphql, type AdminGraphql } from "./admin-graphql.server";

// What the theme app extension reads (extensions/sir-donate/snippets/sir-donate.liquid).
export const WIDGET_METAFIELD_NAMESPACE = "sir_rewards";

/** Everything here reaches shoppers' browsers: public values only. */
export type WidgetSettings = {
  publishableKey: string;
  apiBaseUrl: string;
  environment: SirEnvironment;
  defaultNonprofit: string | null;
};

/** The metafields to set; refuses anything but a publishable key, whatever the caller passes. */
export function widgetMetafields(ownerId: string, settings: WidgetSettings): MetafieldsSetInput[] {
  if (!settings.publishableKey.startsWith("pk_")) {
    throw new Error("Only a publishable (pk_) key may be written to storefront metafields.");
  }
  const text = (key: string, value: string): MetafieldsSetInput => ({
    ownerId,
    namespace: WIDGET_METAFIELD_NAMESPACE,
    key,
    type: "single_line_text_field",
    value,
  });
  return [
    text("publishable_key", settings.publishableKey),
    text("api_base_url", settings.apiBaseUrl),
    text("environment", settings.environment),
    ...(settings.defaultNonprofit ? [text("default_nonprofit", settings.defaultNonprofit)] : []),
    // The ISO 4217 exponents that are not 2 (data/iso-4217-minor-units.json), so the widget
    // reads and sends amounts in the minor units the app and SIR use, in whatever currency the
    // cart is in: the Liquid looks the cart's currency up here (absent → 2). Intl's fraction
    // digits differ for HUF, COP, IDR, IQD and others.
    {
      ownerId,
      namespace: WIDGET_METAFIELD_NAMESPACE,
      key: "minor_units",
      type: "json",
      value: JSON.stringify(nonDefaultCurrencyExponents()),
    },
    {
      ownerId,
      namespace: WIDGET_METAFIELD_NAMESPACE,
      key: "configured",
      type: "boolean",
      value: "true",
    },
  ];
}

function userErrorSentence(errors: Array<{ message: string }>): string {
  return `Shopify did not save the storefront widget settings: ${errors.map((e) => e.message).join("; ")}.`;
}

/** Writes the widget's settings to app-data metafields of the current app installation. */
export async function writeWidgetSettings(graphql: AdminGraphql, settings: WidgetSettings) {
  const { currentAppInstallation } = await runAdminGraphql<CurrentAppInstallationData>(
    graphql,
    CURRENT_APP_INSTALLATION_QUERY,
  );
  const ownerId = currentAppInstallation.id;
  const { metafieldsSet } = await runAdminGraphql<SetWidgetMetafieldsData>(
    graphql,
    SET_WIDGET_METAFIELDS_MUTATION,
    { metafields: widgetMetafields(ownerId, settings) },
  );
  if (metafieldsSet.userErrors.length > 0) {
    throw new AdminApiError(userErrorSentence(metafieldsSet.userErrors));
  }
  if (!settings.defaultNonprofit) {
    const { metafieldsDelete } = await runAdminGraphql<DeleteWidgetMetafieldsData>(
      graphql,
      DELETE_WIDGET_METAFIELDS_MUTATION,
      {
        metafields: [{ ownerId, namespace: WIDGET_METAFIELD_NAMESPACE, key: "default_nonprofit" }],
      },
    );
    if (metafieldsDelete.userErrors.length > 0) {
      throw new AdminApiError(userErrorSentence(metafieldsDelete.userErrors));
    }
  }
}

/** Opens the theme editor with the app embed ready to switch on. */
export function appEmbedActivationUrl(shopDomain: string): string {
  return `https://${shopDomain}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(config.shopifyApiKey)}/donate-embed`;
}
