// How each RewardEvent type (written by the reward pipeline) reads on the timeline.
type EventLook = {
  label: string;
  tone?: "success" | "critical" | "warning" | "attention" | "info";
};

const EVENT_LOOKS: Record<string, EventLook> = {
  received: { label: "Order received" },
  rewarded: { label: "Submitted to SIR", tone: "success" },
  confirmed: { label: "Completed", tone: "success" },
  refund: { label: "Refund received", tone: "attention" },
  cancel: { label: "Cancellation received", tone: "attention" },
  reversed: { label: "Tokens reversed", tone: "warning" },
  "reversal-confirmed": { label: "Reversal completed", tone: "info" },
  retry: { label: "Will try again", tone: "attention" },
  parked: { label: "Waiting for tokens", tone: "attention" },
  failed: { label: "Error", tone: "critical" },
};

export function eventLook(type: string): EventLook {
  return (
    EVENT_LOOKS[type] ?? {
      label: type.charAt(0).toUpperCase() + type.slice(1).replace(/[-_]/g, " "),
    }
  );
}
