/**
 * One currency table (data/iso-4217-minor-units.json) for the app, the SIR sandbox and the
 * storefront widget: for each currency, the exponent each of them counts in, and a donation a
 * shopper types as "1234.5", followed from the widget's minor units to the sandbox's amount and
 * tokens. The widget's side runs its real code path: the metafields the app writes
 * (`widgetMetafields`), the block's Liquid, then sir-donate.js's own helpers on the rendered
 * data-* attributes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currencyExponent, parseMoney } from "../../app/rewards/calculation/currency";
import { widgetMetafields } from "../../app/services/admin/storefront-widget.server";
import { minorUnitExponent } from "../sir-sandbox/currency";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { CONFIGURED_METAFIELDS, renderBlock, type SirMetafields } from "./render-liquid";
import { loadWidgetHelpers, widgetDataset } from "./widget-helpers";

const CURRENCIES = ["HUF", "COP", "IDR", "IQD", "JPY", "KWD", "CLP", "USD"];
const TYPED = "1234.5";
// 1234.5 at the 1.15× campaign = 1419.675 → 1420 tokens, half up, exactly.
const TOKENS_FOR_TYPED = 1420;

const widget = loadWidgetHelpers();

/** The metafields as the app writes them, with the values Liquid sees (a json one parsed). */
function metafieldsTheAppWrites(): SirMetafields {
  const inputs = widgetMetafields("gid://shopify/AppInstallation/1", {
    publishableKey: CONFIGURED_METAFIELDS.publishable_key!,
    apiBaseUrl: CONFIGURED_METAFIELDS.api_base_url!,
    environment: "sandbox",
    defaultNonprofit: "american-red-cross",
  });
  return Object.fromEntries(
    inputs.map((input) => [
      input.key,
      input.type === "json"
        ? JSON.parse(input.value)
        : input.type === "boolean"
          ? input.value === "true"
          : input.value,
    ]),
  );
}

async function widgetDigits(currency: string): Promise<number> {
  const html = await renderBlock({ currency, metafields: metafieldsTheAppWrites() });
  return widget.minorDigits(widgetDataset(html) as { currency: string });
}

/** The server's reading of the typed amount: minor units, or null where it has too many decimals. */
function serverMinor(text: string, currency: string): number | null {
  try {
    return Number(parseMoney(text, currency));
  } catch {
    return null;
  }
}

describe("one ISO 4217 table for the app, the sandbox and the widget", () => {
  let sandbox: Sandbox;
  let publicKey: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const response = await fetch(`${sandbox.url}/__sandbox/partners`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ campaignMultiplier: 1.15 }),
    });
    publicKey = ((await response.json()) as { publicKey: string }).publicKey;
  });
  afterAll(() => sandbox?.close());

  it.each(CURRENCIES)("%s: the same exponent on all three sides", async (currency) => {
    const server = currencyExponent(currency);
    expect({ sandbox: minorUnitExponent(currency), widget: await widgetDigits(currency) }).toEqual({
      sandbox: server,
      widget: server,
    });
  });

  it("agrees with ISO 4217 where Intl does not (HUF, COP, IDR 2; IQD 3)", async () => {
    expect(await Promise.all(["HUF", "COP", "IDR", "IQD"].map(widgetDigits))).toEqual([2, 2, 2, 3]);
  });

  it.each(CURRENCIES)(
    `%s: "${TYPED}" typed in the widget is the same amount at the app and the sandbox`,
    async (currency) => {
      const digits = await widgetDigits(currency);
      const check = widget.checkDonation({
        amountText: TYPED,
        digits,
        email: "",
        emailMode: "optional",
      });
      const server = serverMinor(TYPED, currency);
      if (digits === 0) {
        // No minor unit to hold the .5: the widget refuses it, as the app's parser does.
        expect(check).toEqual({ error: "amount_invalid", field: "amount" });
        expect(server).toBeNull();
        return;
      }
      expect(check).toEqual({ minor: server });
      const minor = (check as { minor: number }).minor;
      expect(minor).toBe(12345 * 10 ** (digits - 1));

      const headers = { "X-Partner-Key": publicKey, "Content-Type": "application/json" };
      const created = await fetch(`${sandbox.url}/v1/partner/donations/create-link`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          nonprofitSlug: "american-red-cross",
          amount: minor,
          currency,
          frequency: "once",
          provider: "stripe",
        }),
      });
      expect(created.status).toBe(201);
      const link = (await created.json()) as { donationLink: string; partnerDonationId: string };
      await fetch(`${link.donationLink}/pay`, { method: "POST", redirect: "manual" });
      const status = await fetch(
        `${sandbox.url}/v1/partner/donations/status/${link.partnerDonationId}`,
        { headers },
      );
      const donation = (await status.json()) as {
        status: string;
        amount: number;
        tokensDistributed: number;
        actionId: string;
      };
      expect(donation).toMatchObject({
        status: "COMPLETED",
        amount: minor,
        tokensDistributed: TOKENS_FOR_TYPED,
      });
      // The DONATION action the sandbox recorded carries the typed amount in major units.
      const action = sandbox.state.actions.get(donation.actionId)!;
      expect(parseMoney(action.amountText, currency)).toBe(parseMoney(TYPED, currency));
    },
  );
});
