import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Page } from "@shopify/polaris";
import { authenticate } from "../../shopify.server";
import { findConnection } from "../../models/ProviderConnection.server";
import {
  latestBackfill,
  pauseBackfill,
  resumeBackfill,
  startBackfill,
} from "../../services/backfill.server";
import {
  backfillTotal,
  checkBackfillDate,
  earliestBackfillDate,
} from "../../services/admin/backfill-progress.server";
import { ConnectSirEmptyState } from "../../components/ConnectSirEmptyState";
import { usePolling } from "../../components/usePolling";
import { StartBackfillCard } from "./components/StartBackfillCard";
import { BackfillRunCard } from "./components/BackfillRunCard";

const LIVE_REFRESH_MS = 1_500;
const DEFAULT_DAYS_BACK = 30;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const [connection, run] = await Promise.all([
    findConnection(session.shop),
    latestBackfill(session.shop),
  ]);
  const now = new Date();
  const earliest = earliestBackfillDate(now);
  const suggested = new Date(now.getTime() - DEFAULT_DAYS_BACK * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return {
    connected: connection !== null,
    run,
    total: run ? await backfillTotal(admin.graphql, run) : null,
    earliest,
    today: now.toISOString().slice(0, 10),
    suggested: earliest && suggested < earliest ? earliest : suggested,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "pause") {
    await pauseBackfill(session.shop);
    return { intent: "pause" as const };
  }
  if (intent === "resume") {
    await resumeBackfill(session.shop);
    return { intent: "resume" as const };
  }
  if (intent !== "start") throw new Response("Unknown backfill action", { status: 400 });
  if (!(await findConnection(session.shop))) {
    return {
      intent: "start" as const,
      error: "Connect SIR in Settings before rewarding past orders.",
    };
  }
  const checked = checkBackfillDate(String(form.get("since") ?? ""));
  if (!checked.ok) return { intent: "start" as const, error: checked.error };
  await startBackfill(session.shop, checked.since);
  return { intent: "start" as const, error: null };
};

export type BackfillAction = typeof action;

export default function Backfill() {
  const { connected, run, total, earliest, today, suggested } = useLoaderData<typeof loader>();
  usePolling(run?.status === "running", LIVE_REFRESH_MS);

  if (!connected) {
    return (
      <Page title="Reward past orders">
        <ConnectSirEmptyState purpose="A backfill rewards orders paid before you installed the app." />
      </Page>
    );
  }
  return (
    <Page title="Reward past orders">
      <BlockStack gap="400">
        <StartBackfillCard
          running={run?.status === "running"}
          earliest={earliest}
          today={today}
          suggested={suggested}
        />
        {run && <BackfillRunCard run={run} total={total} />}
      </BlockStack>
    </Page>
  );
}
