/** Exact, non-negative-friendly decimal arithmetic on BigInt: value = units / 10^scale. */
export interface Decimal {
  readonly units: bigint;
  /** Number of digits after the decimal point, with trailing zeros removed. */
  readonly scale: number;
}

const JSON_NUMBER = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Bounds the exponent so "1e999999999" cannot make BigInt allocate gigabytes.
const MAX_EXPONENT = 400;

/** Parses the text of a JSON number exactly; null when it is not one or is absurdly large. */
export function parseDecimal(text: string): Decimal | null {
  const match = JSON_NUMBER.exec(text);
  if (!match) return null;
  const [, sign, integerDigits, fractionDigits = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return null;
  const magnitude = BigInt(integerDigits + fractionDigits);
  return normalize(sign === "-" ? -magnitude : magnitude, fractionDigits.length - exponent);
}

/** The decimal a JavaScript number prints as (its shortest round-trip text, e.g. 1.15). */
export function decimalFromNumber(value: number): Decimal {
  const decimal = parseDecimal(String(value));
  if (!decimal) throw new RangeError(`Not a finite number: ${value}`);
  return decimal;
}

export function decimalFromMinorUnits(minorUnits: number, decimals: number): Decimal {
  return normalize(BigInt(minorUnits), decimals);
}

export function multiplyDecimals(left: Decimal, right: Decimal): Decimal {
  return normalize(left.units * right.units, left.scale + right.scale);
}

/** Rounds half up (0.5 → 1, 49.99 → 50). Only defined for values ≥ 0, which is all we round. */
export function roundHalfUp(value: Decimal): bigint {
  if (value.units < 0n) throw new RangeError("roundHalfUp is only defined for values >= 0");
  const divisor = 10n ** BigInt(value.scale);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  return remainder * 2n >= divisor ? quotient + 1n : quotient;
}

export function isPositive(value: Decimal): boolean {
  return value.units > 0n;
}

/** Compares with an integer without losing precision. */
export function compareWithInteger(value: Decimal, integer: bigint): -1 | 0 | 1 {
  const scaled = integer * 10n ** BigInt(value.scale);
  return value.units < scaled ? -1 : value.units > scaled ? 1 : 0;
}

function normalize(units: bigint, scale: number): Decimal {
  if (scale < 0) return { units: units * 10n ** BigInt(-scale), scale: 0 };
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

/** Plain decimal text ("25", "25.5"), as a JSON number would be written. */
export function formatDecimal(value: Decimal): string {
  const digits = (value.units < 0n ? -value.units : value.units)
    .toString()
    .padStart(value.scale + 1, "0");
  const sign = value.units < 0n ? "-" : "";
  if (value.scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
}
