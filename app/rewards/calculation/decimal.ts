/**
 * Exact decimal text ⇄ scaled bigint conversions and integer division with a named rounding rule.
 * Nothing here ever goes through a JS float: text is split into digit runs and read with BigInt.
 */

/** Plain decimal text: optional minus, digits, optional dot followed by digits. No exponent. */
const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Longest decimal text accepted (sign, digits and dot); guards against absurd inputs. */
export const MAX_DECIMAL_TEXT_LENGTH = 40;

/**
 * What to do with non-zero digits beyond `scale`:
 * - "exact": throw (no silent rounding); trailing zeros beyond the scale are fine.
 * - "ceil": round toward +infinity (used for thresholds: for an integer x, x < t ⇔ x < ceil(t)).
 */
export type ScaleRounding = "exact" | "ceil";

export class DecimalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecimalError";
  }
}

/** True when `text` is plain decimal text ("12", "-3.50"); "1e5", "1,00", ".5", " 1" are not. */
export function isDecimalText(text: string): boolean {
  return text.length <= MAX_DECIMAL_TEXT_LENGTH && DECIMAL_TEXT.test(text);
}

/**
 * Reads decimal text as an integer count of 10^-scale units: ("12.345", 3) → 12345n.
 * Throws DecimalError on anything that is not plain decimal text, and (rounding "exact") on a
 * non-zero digit beyond `scale`.
 */
export function parseScaledDecimal(
  text: string,
  scale: number,
  rounding: ScaleRounding = "exact",
): bigint {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`bad scale ${scale}`);
  const match = typeof text === "string" ? DECIMAL_TEXT.exec(text) : null;
  if (!match || text.length > MAX_DECIMAL_TEXT_LENGTH) {
    throw new DecimalError(`"${String(text).slice(0, 50)}" is not a plain decimal number`);
  }
  const [, minus, whole, fraction = ""] = match;
  const kept = fraction.slice(0, scale).padEnd(scale, "0");
  const dropped = fraction.slice(scale);
  let value = BigInt(whole + kept);
  if (/[1-9]/.test(dropped)) {
    if (rounding === "exact") {
      throw new DecimalError(`"${text}" has more than ${scale} decimal places`);
    }
    // Rounding rule "ceil": toward +infinity. For a negative number, dropping digits of the
    // magnitude already moves toward +infinity, so only positive numbers step up by one unit.
    if (!minus) value += 1n;
  }
  return minus ? -value : value;
}

/** Writes a count of 10^-scale units as decimal text with exactly `scale` decimals. */
export function formatScaled(value: bigint, scale: number): string {
  if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`bad scale ${scale}`);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return (negative ? "-" : "") + text;
}

function requireNonNegative(numerator: bigint, denominator: bigint): void {
  if (numerator < 0n || denominator <= 0n) {
    throw new RangeError("division needs a non-negative numerator and a positive denominator");
  }
}

/** Rounding rule: floor (toward zero; both operands are non-negative). */
export function divFloor(numerator: bigint, denominator: bigint): bigint {
  requireNonNegative(numerator, denominator);
  return numerator / denominator;
}

/** Rounding rule: half-up (an exact .5 goes up; both operands are non-negative). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  requireNonNegative(numerator, denominator);
  return (2n * numerator + denominator) / (2n * denominator);
}

export function minBigInt(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBigInt(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
