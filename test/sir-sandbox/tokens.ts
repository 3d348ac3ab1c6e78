/**
 * Token math, in one place so it is easy to change when the real API disagrees.
 *
 * ASSUMED: 1 token per major currency unit in any currency (49.99 USD and 49.99 EUR both earn
 * 50; 5000 JPY earns 5000), times the matched campaign's baseMultiplier (1 without a campaign),
 * rounded half up to a whole token. All of it is exact decimal arithmetic on the amount's JSON
 * text, so 50 × 1.15 is 57.5 → 58 (a float product would say 57.49999999999999 → 57).
 */
import { decimalFromNumber, multiplyDecimals, roundHalfUp, type Decimal } from "./decimal";

export const TOKENS_PER_MAJOR_UNIT = 1;

export function tokensForAmount(amount: Decimal, multiplier: number): bigint {
  const perUnit = multiplyDecimals(
    decimalFromNumber(TOKENS_PER_MAJOR_UNIT),
    decimalFromNumber(multiplier),
  );
  return roundHalfUp(multiplyDecimals(amount, perUnit));
}

/**
 * Percentages are carried as integer hundredths of a percent (33.33 % → 3333), 10000 = 100 %.
 * Rounding is cumulative: after reversing p % in total, exactly round-half-up(tokens × p / 100)
 * has been reversed, so reversals never sum to more than was distributed and reaching 100 %
 * reverses exactly the remainder.
 */
export const FULL_REVERSAL_HUNDREDTHS = 10_000;

export function tokensForReversal(input: {
  tokensDistributed: number;
  tokensAlreadyReversed: number;
  cumulativeHundredths: number;
}): number {
  const target = roundHalfUp({
    units: BigInt(input.tokensDistributed) * BigInt(input.cumulativeHundredths),
    scale: 4,
  });
  return Number(target) - input.tokensAlreadyReversed;
}
