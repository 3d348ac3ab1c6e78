/**
 * SIR's reverse call takes a reversalPercentage of the ORIGINAL action: decimal text with at most
 * 2 decimals, in (0, 100]. Refunds arrive one at a time, so each reversal is computed from the
 * CUMULATIVE refunded basis, and only the difference to what was already sent goes out.
 *
 * Internally percentages are bigint hundredths of a percent (33.33 % = 3333n; 100 % = 10000n).
 *
 * Rounding rule: the cumulative percentage is cumulative/earned × 100 rounded DOWN (floor) to
 * 2 decimals, EXCEPT that it is exactly 100.00 when the cumulative basis equals the earned basis.
 * Consequences, all tested:
 * - the percentages sent never add up to more than 100.00, and add up to exactly 100.00 once
 *   everything is refunded (three thirds: 33.33 + 33.33 + 33.34);
 * - a refund too small to move the floored total (under 0.01 % of the original) sends nothing
 *   (percent null) and is carried: its basis still counts in the cumulative basis next time.
 *
 * Whole percentages (`step: WHOLE_PERCENT`), for a SIR that refuses decimals (the docs say
 * "1–100"; 2 decimals are ASSUMED): the same rule with the cumulative floored to 1 % instead of
 * 0.01 %, and sent as whole numbers ("33"). Exactly 100 when all is refunded, so the total never
 * exceeds 100 and the last reversal sends exactly the remainder (three thirds: 33 + 33 + 34); a
 * refund that does not move the floored total (under 1 %, or what remains of one) is carried.
 */
import { formatScaled, isDecimalText, minBigInt, parseScaledDecimal } from "./decimal";

export const HUNDRED_PERCENT = 10_000n;
/** Steps in hundredths: 0.01 % (the ASSUMED precision) or 1 % (whole percentages). */
export const HUNDREDTH_PERCENT = 1n;
export const WHOLE_PERCENT = 100n;

export interface ReversalInput {
  /** The basis the original action was submitted with (> 0). */
  earnedBasisMinor: bigint;
  /** Cumulative refunded basis already accounted for (the last cumulativeBasisMinor). */
  alreadyReversedBasisMinor: bigint;
  /** Sum of the percentages already sent, as decimal text ("0", "33.33"). */
  alreadySentPercent: string;
  /** This refund's basis (computeRefundBasis). */
  refundedBasisMinor: bigint;
  /** The smallest step sent, in hundredths: HUNDREDTH_PERCENT (default) or WHOLE_PERCENT. */
  step?: bigint;
}

export interface Reversal {
  /** Store this as the next alreadyReversedBasisMinor, even when percent is null. */
  cumulativeBasisMinor: bigint;
  /** The reversalPercentage to send now ("33.33"), or null when there is nothing to send. */
  percent: string | null;
  /** The sum of sent percentages once `percent` is sent: the next alreadySentPercent. */
  cumulativePercent: string;
}

export class ReversalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReversalError";
  }
}

/** Percentage text ("33.33", "5", "100.00") → hundredths. At most 2 decimals, 0 to 100. */
export function parsePercentHundredths(text: string): bigint {
  if (typeof text !== "string" || !isDecimalText(text) || text.startsWith("-")) {
    throw new ReversalError(`"${String(text).slice(0, 20)}" is not a percentage`);
  }
  let hundredths: bigint;
  try {
    hundredths = parseScaledDecimal(text, 2, "exact");
  } catch {
    throw new ReversalError(`"${text}" has more than 2 decimal places`);
  }
  if (hundredths > HUNDRED_PERCENT) throw new ReversalError(`"${text}" is more than 100 %`);
  return hundredths;
}

/** Hundredths → percentage text with exactly 2 decimals: 3333n → "33.33", 10000n → "100.00". */
export function formatPercentHundredths(hundredths: bigint): string {
  return formatScaled(hundredths, 2);
}

/** A percentage to send at `step`: 2 decimals, or a whole number ("33") at WHOLE_PERCENT. */
function formatPercentToSend(hundredths: bigint, step: bigint): string {
  return step === WHOLE_PERCENT && hundredths % WHOLE_PERCENT === 0n
    ? (hundredths / WHOLE_PERCENT).toString()
    : formatPercentHundredths(hundredths);
}

/** Whether a percentage text has a fractional part ("33.33" yes; "33", "33.00" no). */
export function hasFractionalPercent(text: string): boolean {
  return parsePercentHundredths(text) % WHOLE_PERCENT !== 0n;
}

export function nextReversal(input: ReversalInput): Reversal {
  const { earnedBasisMinor, alreadyReversedBasisMinor, refundedBasisMinor } = input;
  if (earnedBasisMinor <= 0n) throw new ReversalError("nothing was earned, nothing to reverse");
  if (alreadyReversedBasisMinor < 0n || refundedBasisMinor < 0n) {
    throw new ReversalError("refunded amounts cannot be negative");
  }
  const alreadySent = parsePercentHundredths(input.alreadySentPercent);
  const step = input.step ?? HUNDREDTH_PERCENT;

  const cumulativeBasisMinor = minBigInt(
    earnedBasisMinor,
    alreadyReversedBasisMinor + refundedBasisMinor,
  );
  // Rounding rule: floor to the step (0.01 % or 1 %), exactly 100.00 when all is refunded.
  const exact =
    cumulativeBasisMinor === earnedBasisMinor
      ? HUNDRED_PERCENT
      : (cumulativeBasisMinor * HUNDRED_PERCENT) / earnedBasisMinor;
  const floored = exact === HUNDRED_PERCENT ? exact : exact - (exact % step);
  // What was sent is a multiple of the step unless the step grew since (then the delta is
  // floored too, so every percentage sent is one SIR takes, and the total stays at most 100).
  let delta = floored - alreadySent;
  if (delta > 0n && floored !== HUNDRED_PERCENT) delta -= delta % step;
  // Nothing to send when the floored total has not moved past what was sent (carried), or when
  // more was already sent (e.g. a cancellation already reversed the remainder).
  const percent = delta > 0n ? formatPercentToSend(delta, step) : null;
  return {
    cumulativeBasisMinor,
    percent,
    cumulativePercent: formatPercentHundredths(delta > 0n ? alreadySent + delta : alreadySent),
  };
}

export interface RemainderReversal {
  /** The reversalPercentage to send ("70.00"), or null when 100.00 was already sent. */
  percent: string | null;
  /** Always "100.00": the sum of sent percentages once `percent` is sent. */
  cumulativePercent: string;
}

/**
 * The percentage that brings the sent total to exactly 100.00 (for a cancellation). No rounding:
 * 100.00 − already sent, both exact hundredths.
 */
export function remainderReversal(
  alreadySentPercent: string,
  step: bigint = HUNDREDTH_PERCENT,
): RemainderReversal {
  const remainder = HUNDRED_PERCENT - parsePercentHundredths(alreadySentPercent);
  return {
    percent: remainder > 0n ? formatPercentToSend(remainder, step) : null,
    cumulativePercent: formatPercentHundredths(HUNDRED_PERCENT),
  };
}
