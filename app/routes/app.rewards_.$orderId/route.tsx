import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { authenticate } from "../../shopify.server";
import { rewardTimeline } from "../../services/admin/reward-timeline.server";
import { retryFromAdmin } from "../../services/admin/retry-rewards.server";
import { RewardStatusBadge } from "../../components/RewardStatusBadge";
import { EMPTY_STATE_IMAGE } from "../../components/ConnectSirEmptyState";
import { usePolling } from "../../components/usePolling";
import { RewardSummary } from "./components/RewardSummary";
import { EventTimeline } from "./components/EventTimeline";
import { ReversalList } from "./components/ReversalList";

const PENDING_REFRESH_MS = 3_000;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const orderId = params.orderId ?? "";
  return { orderId, timeline: await rewardTimeline(session.shop, orderId) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retry") throw new Response("Unknown reward action", { status: 400 });
  return { message: await retryFromAdmin(session.shop, [params.orderId ?? ""]) };
};

/** App Bridge opens shopify:// links in the Shopify admin around the app. */
const adminOrderUrl = (orderId: string) => `shopify://admin/orders/${orderId}`;

export default function RewardTimelinePage() {
  const { orderId, timeline } = useLoaderData<typeof loader>();
  const retry = useFetcher<typeof action>();
  usePolling(timeline?.status === "pending", PENDING_REFRESH_MS);

  if (!timeline) {
    return (
      <Page title="Order not found" backAction={{ content: "Rewards", url: "/app/rewards" }}>
        <Card>
          <EmptyState
            heading="This order has no reward record"
            action={{
              content: "View order in Shopify",
              url: adminOrderUrl(orderId),
              target: "_top",
            }}
            image={EMPTY_STATE_IMAGE}
          >
            <p>
              The app records orders once they are paid. Unpaid orders, and orders paid before you
              connected SIR that no backfill has reached yet, are not in the ledger.
            </p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  return (
    <Page
      title={timeline.orderName}
      titleMetadata={<RewardStatusBadge status={timeline.status} />}
      backAction={{ content: "Rewards", url: "/app/rewards" }}
      primaryAction={
        timeline.retryable
          ? {
              content: "Retry",
              loading: retry.state !== "idle",
              onAction: () => retry.submit({ intent: "retry" }, { method: "post" }),
            }
          : undefined
      }
      secondaryActions={[
        { content: "View order in Shopify", url: adminOrderUrl(timeline.orderId), target: "_top" },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {retry.data?.message && (
              <Banner tone="info">
                <p>{retry.data.message}</p>
              </Banner>
            )}
            {timeline.lastError && (timeline.status === "failed" || timeline.retryable) && (
              <Banner tone="critical" title="This reward needs attention">
                <p>{timeline.lastError}</p>
              </Banner>
            )}
            <EventTimeline events={timeline.events} />
            {timeline.reversals.length > 0 && <ReversalList reversals={timeline.reversals} />}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <RewardSummary timeline={timeline} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
