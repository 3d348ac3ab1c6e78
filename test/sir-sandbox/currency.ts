/**
 * Minor units per ISO 4217, from the project's one currency table (data/iso-4217-minor-units.json).
 * The sandbox imports that data file, never the app's code, so it still checks the app from the
 * outside; the app, the sandbox and the storefront widget then agree on what `amount: 5000` means
 * (50.00 HUF, 5000 JPY, 5.000 KWD).
 *
 * ASSUMED: SIR reads a donation's `amount` in the minor units of its currency per ISO 4217;
 * a code the table lacks, or gives no minor unit (XAU, XXX…), counts as 2 decimals.
 */
import iso4217 from "../../data/iso-4217-minor-units.json";

const MINOR_UNITS: Readonly<Record<string, number | null>> = iso4217.minorUnits;

export function minorUnitExponent(currency: string): number {
  return Object.hasOwn(MINOR_UNITS, currency) ? (MINOR_UNITS[currency] ?? 2) : 2;
}
