import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { ledgerTotals, tokensPerDay } from "../services/admin/dashboard-stats.server";
import {
  livePoolStatus,
  readAllocationForm,
  requestAllocation,
} from "../services/admin/pool-status.server";
import { ConnectSirEmptyState } from "../components/ConnectSirEmptyState";
import { TokensPerDayChart } from "../components/TokensPerDayChart";
import { LedgerStats } from "../components/dashboard/LedgerStats";
import { PoolCard } from "../components/dashboard/PoolCard";
import { CampaignCard } from "../components/dashboard/CampaignCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [totals, chart, pool] = await Promise.all([
    ledgerTotals(session.shop),
    tokensPerDay(session.shop),
    livePoolStatus(session.shop),
  ]);
  return { totals, chart, pool };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "request-allocation") {
    throw new Response("Unknown dashboard action", { status: 400 });
  }
  const allocation = readAllocationForm(form);
  if (!allocation.ok) {
    return { intent: "request-allocation" as const, ok: false as const, errors: allocation.errors };
  }
  const result = await requestAllocation(session.shop, allocation.amount, allocation.reason);
  return { intent: "request-allocation" as const, ...result };
};

export default function Dashboard() {
  const { totals, chart, pool } = useLoaderData<typeof loader>();
  if (!pool) {
    return (
      <Page title="SIR Rewards">
        <ConnectSirEmptyState purpose="Paid orders earn SIR tokens for your customers once the app is connected." />
      </Page>
    );
  }
  return (
    <Page title="SIR Rewards">
      <BlockStack gap="500">
        {totals.orders === 0 && (
          <Banner
            tone="info"
            title="No orders rewarded yet"
            action={{ content: "Reward past orders", url: "/app/backfill" }}
          >
            <p>
              New paid orders are rewarded automatically from now on. To reward orders placed before
              you connected SIR, run a backfill.
            </p>
          </Banner>
        )}
        <LedgerStats {...totals} />
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Tokens distributed per day
                </Text>
                <TokensPerDayChart
                  days={chart}
                  title={`Tokens distributed per day, last ${chart.length} days`}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <PoolCard
                pool={pool.pool}
                error={pool.error}
                emptySince={pool.emptySince}
                low={pool.low}
                parked={totals.parked}
              />
              <CampaignCard campaign={pool.campaign} unavailable={pool.error !== null} />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
