import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { authenticate } from "../../shopify.server";
import { SIR_BASE_URLS } from "../../models/ProviderConnection.server";
import { getEarningRules, saveEarningRules } from "../../models/RewardSettings.server";
import { validateEarningRules } from "../../rewards/calculation/settings";
import { connectionSummary } from "../../services/admin/connection-summary.server";
import { readConnectionForm } from "../../services/admin/connection-form.server";
import { storedCredentials } from "../../services/admin/sir-admin-client.server";
import { testConnection } from "../../services/admin/connection-test.server";
import { saveConnection } from "../../services/admin/save-connection.server";
import { appEmbedActivationUrl } from "../../services/admin/storefront-widget.server";
import { ConnectionCard } from "./components/ConnectionCard";
import { EarningRulesCard } from "./components/EarningRulesCard";
import { StorefrontWidgetCard } from "./components/StorefrontWidgetCard";
import { ShopperSurfacesCard } from "./components/ShopperSurfacesCard";
import { tryRefreshEstimateMetafield } from "../../shopper/estimate-metafield.server";
import { shopperSurfaceLinks } from "../../shopper/estimate-surfaces.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [connection, rules] = await Promise.all([
    connectionSummary(session.shop),
    getEarningRules(session.shop),
  ]);
  return {
    connection,
    rules,
    hosts: SIR_BASE_URLS,
    appEmbedUrl: appEmbedActivationUrl(session.shop),
    surfaces: shopperSurfaceLinks(session.shop),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");

  if (intent === "save-rules") {
    const validation = validateEarningRules(Object.fromEntries(form));
    if (!validation.ok) {
      return { intent: "save-rules" as const, ok: false as const, errors: validation.errors };
    }
    await saveEarningRules(session.shop, validation.rules);
    // The shopper estimate follows the rules at once (best effort: a sentence, never a failure).
    const estimateWarning = await tryRefreshEstimateMetafield(session.shop, admin.graphql, {
      rules: validation.rules,
    });
    return {
      intent: "save-rules" as const,
      ok: true as const,
      ...(estimateWarning ? { estimateWarning } : {}),
    };
  }

  if (intent === "test-connection") {
    const parsed = readConnectionForm(form, await storedCredentials(session.shop));
    if (!parsed.ok) {
      return {
        intent: "test-connection" as const,
        ok: false as const,
        message: null,
        errors: parsed.errors,
      };
    }
    return { intent: "test-connection" as const, ...(await testConnection(parsed.input)) };
  }

  if (intent === "save-connection") {
    const parsed = readConnectionForm(form, await storedCredentials(session.shop));
    if (!parsed.ok) {
      return {
        intent: "save-connection" as const,
        ok: false as const,
        message: null,
        errors: parsed.errors,
      };
    }
    const saved = await saveConnection(session.shop, parsed.input, admin.graphql);
    const estimateWarning = saved.ok
      ? await tryRefreshEstimateMetafield(session.shop, admin.graphql)
      : null;
    return {
      intent: "save-connection" as const,
      ...saved,
      ...(estimateWarning ? { estimateWarning } : {}),
    };
  }
  throw new Response("Unknown settings action", { status: 400 });
};

export type SettingsAction = typeof action;

export default function Settings() {
  const { connection, rules, hosts, appEmbedUrl, surfaces } = useLoaderData<typeof loader>();
  return (
    <Page title="Settings">
      <Layout>
        <Layout.AnnotatedSection
          id="connection"
          title="SIR Giving connection"
          description="The keys of your SIR Giving partner account. Secrets are stored encrypted and never shown again: only their last four characters."
        >
          <ConnectionCard connection={connection} hosts={hosts} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="earning-rules"
          title="Earning rules"
          description="Which paid orders earn tokens, and on what amount. Changes apply to orders paid from now on."
        >
          <EarningRulesCard rules={rules} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="storefront"
          title="Storefront donate widget"
          description="Lets shoppers donate to a nonprofit on your storefront, using the public key saved above."
        >
          <StorefrontWidgetCard
            connected={connection !== null}
            defaultNonprofit={connection?.defaultNonprofit ?? null}
            appEmbedUrl={appEmbedUrl}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="shopper-surfaces"
          title="Where shoppers see their tokens"
          description="The estimate before buying, the reward after it, and the balance in their account. Each is placed in one of Shopify's editors."
        >
          <ShopperSurfacesCard connected={connection !== null} links={surfaces} />
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
