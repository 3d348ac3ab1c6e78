/**
 * ISO 4217 minor units and Shopify money strings. Money inside the app is a bigint count of the
 * currency's minor unit (cents, yen, fils); text in and out is plain decimal, never a float.
 */
import iso4217 from "../../../data/iso-4217-minor-units.json";
import { DecimalError, formatScaled, isDecimalText, parseScaledDecimal } from "./decimal";

// The one ISO 4217 table, shared as data with the SIR sandbox and (through its settings
// metafield) the storefront widget: data/README.md.
const MINOR_UNITS: Readonly<Record<string, number | null>> = iso4217.minorUnits;

const CURRENCY_CODE = /^[A-Z]{3}$/;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyError";
  }
}

/**
 * Minor-unit exponent of an ISO 4217 code, from the ISO 4217 table (data/iso-4217-minor-units.json);
 * 2 for a code the table lacks or gives no minor unit (N.A.). Throws on a malformed code.
 */
export function currencyExponent(code: string): number {
  if (typeof code !== "string" || !CURRENCY_CODE.test(code)) {
    throw new MoneyError(`"${String(code).slice(0, 20)}" is not a three-letter currency code`);
  }
  return Object.hasOwn(MINOR_UNITS, code) ? (MINOR_UNITS[code] ?? 2) : 2;
}

/** The table's codes whose exponent is not 2 (the storefront widget's metafield carries them). */
export function nonDefaultCurrencyExponents(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(MINOR_UNITS).filter(
      (entry): entry is [string, number] => entry[1] !== null && entry[1] !== 2,
    ),
  );
}

/**
 * Shopify amount text → minor units: ("199.00", "USD") → 19900n, ("5000.0", "JPY") → 5000n,
 * ("-3.50", "USD") → -350n. Rounding rule: none. Extra trailing zeros beyond the exponent are
 * accepted; a non-zero digit beyond it throws. Rejects "", "abc", "1e5", "1,00", ".5", " 1".
 */
export function parseMoney(amount: string, currency: string): bigint {
  const exponent = currencyExponent(currency);
  if (typeof amount !== "string" || !isDecimalText(amount)) {
    throw new MoneyError(`"${String(amount).slice(0, 50)}" is not a ${currency} amount`);
  }
  try {
    return parseScaledDecimal(amount, exponent, "exact");
  } catch (error) {
    if (error instanceof DecimalError) {
      throw new MoneyError(
        `"${amount}" has more decimal places than ${currency} allows (${exponent})`,
      );
    }
    throw error;
  }
}

/** Minor units → decimal text with exactly `exponent` decimals: (4999n, "USD") → "49.99". */
export function formatMinor(minor: bigint, currency: string): string {
  if (typeof minor !== "bigint") throw new MoneyError("minor units must be a bigint");
  return formatScaled(minor, currencyExponent(currency));
}
