import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import { authenticate } from "../../shopify.server";
import { findConnection } from "../../models/ProviderConnection.server";
import {
  countFailedRewards,
  ledgerPage,
  readLedgerQuery,
} from "../../services/admin/ledger.server";
import { retryFromAdmin } from "../../services/admin/retry-rewards.server";
import { ConnectSirEmptyState } from "../../components/ConnectSirEmptyState";
import { LedgerTable } from "./components/LedgerTable";
import { NoRewardsYet } from "./components/NoRewardsYet";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = readLedgerQuery(new URL(request.url).searchParams);
  const [page, failedCount, connection] = await Promise.all([
    ledgerPage(session.shop, query),
    countFailedRewards(session.shop),
    findConnection(session.shop),
  ]);
  return {
    page,
    failedCount,
    connected: connection !== null,
    filtered: Boolean(query.status || query.search || query.after || query.before),
    status: query.status,
    search: query.search ?? "",
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retry") throw new Response("Unknown ledger action", { status: 400 });
  const orderIds = form.getAll("orderId").map(String);
  const message = await retryFromAdmin(session.shop, form.get("all") === "true" ? "all" : orderIds);
  return { message };
};

export default function Rewards() {
  const { page, failedCount, connected, filtered, status, search } = useLoaderData<typeof loader>();
  const retry = useFetcher<typeof action>();
  const retryAll = () => retry.submit({ intent: "retry", all: "true" }, { method: "post" });
  const retryOrders = (orderIds: string[]) => {
    const form = new FormData();
    form.set("intent", "retry");
    for (const orderId of orderIds) form.append("orderId", orderId);
    retry.submit(form, { method: "post" });
  };

  if (!connected && !filtered && page.entries.length === 0) {
    return (
      <Page title="Rewards">
        <ConnectSirEmptyState purpose="Every rewarded order will be listed here." />
      </Page>
    );
  }
  return (
    <Page
      title="Rewards"
      subtitle="Every paid order the app has seen, newest first."
      secondaryActions={
        failedCount > 0
          ? [
              {
                content: `Retry all failed (${failedCount})`,
                onAction: retryAll,
                loading: retry.state !== "idle",
              },
            ]
          : []
      }
    >
      <BlockStack gap="400">
        {retry.data?.message && (
          <Banner tone="info">
            <p>{retry.data.message}</p>
          </Banner>
        )}
        {!filtered && page.entries.length === 0 ? (
          <NoRewardsYet />
        ) : (
          <LedgerTable
            page={page}
            status={status}
            search={search}
            onRetry={retryOrders}
            retrying={retry.state !== "idle"}
          />
        )}
      </BlockStack>
    </Page>
  );
}
