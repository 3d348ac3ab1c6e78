import type { EarnedBasis } from "../calculation/refund-basis";
import type { EligibleBasis } from "../calculation/earning-basis";
import type { EarningRules } from "../calculation/settings";

// What a refund needs to be measured against the reward it reverses: the
// rules in force when the order earned (a later rule change must not alter
// the share of an old order), what each line earned, and the order itself
// minus personal data.
type StoredSnapshot = {
  rules: EarningRules;
  order: Record<string, unknown>;
  lines: { lineItemId: string; basisMinor: string }[];
  basisMinor: string;
  shippingMinor: string;
};

export type EarningSnapshot = { rules: EarningRules; order: unknown; earned: EarnedBasis };

const PERSONAL_FIELDS = [
  "customer",
  "email",
  "contact_email",
  "phone",
  "billing_address",
  "shipping_address",
  "note",
  "note_attributes",
  "client_details",
  "browser_ip",
  "customer_locale",
];

export function snapshotForRefunds(
  rawOrder: Record<string, unknown>,
  rules: EarningRules,
  earning: EligibleBasis | null,
): string {
  const order = { ...rawOrder };
  for (const field of PERSONAL_FIELDS) delete order[field];
  const stored: StoredSnapshot = {
    rules,
    order,
    lines: (earning?.lines ?? []).map((line) => ({
      lineItemId: line.lineItemId,
      basisMinor: line.basisMinor.toString(),
    })),
    basisMinor: (earning?.basisMinor ?? 0n).toString(),
    shippingMinor: (earning?.shippingMinor ?? 0n).toString(),
  };
  return JSON.stringify(stored);
}

export function readSnapshot(text: string): EarningSnapshot {
  const stored = JSON.parse(text) as StoredSnapshot;
  return {
    rules: stored.rules,
    order: stored.order,
    earned: {
      lines: stored.lines.map((line) => ({
        lineItemId: line.lineItemId,
        basisMinor: BigInt(line.basisMinor),
      })),
      basisMinor: BigInt(stored.basisMinor),
      shippingMinor: BigInt(stored.shippingMinor),
    },
  };
}
