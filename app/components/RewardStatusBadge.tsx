import { Badge, type BadgeProps } from "@shopify/polaris";

type StatusLook = { label: string; tone?: BadgeProps["tone"]; progress?: BadgeProps["progress"] };

export const REWARD_STATUS_LOOKS: Record<string, StatusLook> = {
  pending: { label: "Pending", tone: "info", progress: "incomplete" },
  rewarded: { label: "Rewarded", tone: "success", progress: "complete" },
  partially_reversed: {
    label: "Partially reversed",
    tone: "warning",
    progress: "partiallyComplete",
  },
  reversed: { label: "Reversed", progress: "complete" },
  parked: { label: "Waiting for tokens", tone: "attention", progress: "incomplete" },
  failed: { label: "Failed", tone: "critical", progress: "incomplete" },
  skipped: { label: "Not eligible" },
};

export function rewardStatusLabel(status: string): string {
  return REWARD_STATUS_LOOKS[status]?.label ?? status;
}

export function RewardStatusBadge({ status }: { status: string }) {
  const look = REWARD_STATUS_LOOKS[status] ?? { label: status };
  return (
    <Badge tone={look.tone} progress={look.progress}>
      {look.label}
    </Badge>
  );
}
