import { useFetcher } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  ProgressBar,
  Text,
  type BadgeProps,
} from "@shopify/polaris";
import { formatDateTime, formatDay, formatNumber } from "../../../components/format";
import type { BackfillRunView } from "../../../services/backfill.server";

export type BackfillRunCardProps = {
  run: BackfillRunView;
  total: { count: number; exact: boolean } | null;
};

const STATUS: Record<BackfillRunView["status"], { label: string; tone?: BadgeProps["tone"] }> = {
  running: { label: "In progress", tone: "info" },
  paused: { label: "Paused", tone: "attention" },
  done: { label: "Finished", tone: "success" },
  failed: { label: "Stopped", tone: "critical" },
};

function Count({ label, value }: { label: string; value: number }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg" numeric>
        {formatNumber(value)}
      </Text>
    </BlockStack>
  );
}

function progressOf(run: BackfillRunView, total: BackfillRunCardProps["total"]): number | null {
  if (run.status === "done") return 100;
  if (!total || total.count === 0) return null;
  return Math.min(100, Math.round((run.ordersSeen / total.count) * 100));
}

export function BackfillRunCard({ run, total }: BackfillRunCardProps) {
  const control = useFetcher();
  const progress = progressOf(run, total);
  const status = STATUS[run.status];
  const submit = (intent: "pause" | "resume") => control.submit({ intent }, { method: "post" });

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Orders since {formatDay(run.since)}
            </Text>
            <Badge tone={status.tone}>{status.label}</Badge>
          </InlineStack>
          {run.status === "running" && (
            <Button onClick={() => submit("pause")} loading={control.state !== "idle"}>
              Pause
            </Button>
          )}
          {(run.status === "paused" || run.status === "failed") && (
            <Button
              variant="primary"
              onClick={() => submit("resume")}
              loading={control.state !== "idle"}
            >
              {run.status === "paused" ? "Resume" : "Try again"}
            </Button>
          )}
        </InlineStack>
        {progress !== null && (
          <BlockStack gap="100">
            <ProgressBar
              progress={progress}
              tone={run.status === "failed" ? "critical" : "primary"}
              ariaLabelledBy="backfill-progress-label"
            />
            <Text as="p" tone="subdued" id="backfill-progress-label">
              {formatNumber(run.ordersSeen)} of {total && !total.exact ? "at least " : ""}
              {formatNumber(Math.max(total?.count ?? 0, run.ordersSeen))} paid orders checked
            </Text>
          </BlockStack>
        )}
        <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
          <Count label="Orders checked" value={run.ordersSeen} />
          <Count label="Rewarded" value={run.rewarded} />
          <Count label="Not eligible" value={run.skipped} />
          <Count label="Already rewarded" value={run.alreadyRecorded} />
          <Count label="Failed" value={run.failed} />
        </InlineGrid>
        {run.lastError && (
          <Banner tone="critical" title="The backfill stopped">
            <p>{run.lastError}</p>
            <p>Orders already done are kept; “Try again” continues from where it stopped.</p>
          </Banner>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          Started {formatDateTime(run.startedAt)}
          {run.finishedAt ? `, finished ${formatDateTime(run.finishedAt)}` : ""}.
          {run.failed > 0
            ? " Failed orders are listed under Rewards, where you can retry them."
            : ""}
        </Text>
      </BlockStack>
    </Card>
  );
}
