// verifyShopifyWebhook against @shopify/shopify-api's own webhooks.validate (what
// authenticate.webhook runs in the Remix routes) on 10,000 generated deliveries: valid
// signatures, tampered bodies and signatures, missing, empty, duplicated and oddly-cased
// headers, base64 variants, bodies in odd encodings and empty ones. Both must reach the same
// verdict for the same reason, and on acceptance read the same headers. Ours is checked through
// both of its transports: Node's request (the production server's endpoints, headers as Node's
// parser joins them) and a Fetch Request (the Remix routes).
import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { createHmac } from "node:crypto";
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEST_APP_ENV } from "../../test/helpers/app-env";
import { deliveryFromNodeRequest, deliveryFromRequest } from "./delivery.server";
import {
  verifyShopifyWebhook,
  type ShopifyWebhookVerification,
} from "./shopify-webhook-signature.server";

const SECRET = TEST_APP_ENV.SHOPIFY_API_SECRET;
const RUNS = 10_000;

const shopify = shopifyApi({
  apiKey: TEST_APP_ENV.SHOPIFY_API_KEY,
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October26,
  hostName: new URL(TEST_APP_ENV.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

type Header = [name: string, value: string];
type Delivery = { body: string; headers: Header[] };

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const hmacOf = (data: string | Uint8Array, secret = SECRET) =>
  createHmac("sha256", secret).update(data).digest();

// The body as text (what both checks are given), and the bytes its sender signed: usually the
// text's UTF-8, sometimes bytes that are not UTF-8 at all, decoded the way a server would.
const bodyArb: fc.Arbitrary<{ text: string; signedBytes: Uint8Array }> = fc.oneof(
  { weight: 4, arbitrary: fc.json().map((text) => ({ text, signedBytes: utf8(text) })) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }).map((text) => ({
      text,
      signedBytes: utf8(text),
    })),
  },
  {
    // Lone surrogates and every other code unit: both encode them to UTF-8 the same way?
    weight: 1,
    arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map((text) => ({
      text,
      signedBytes: utf8(text),
    })),
  },
  {
    // Raw bytes (mostly invalid UTF-8), signed as sent and read back as text with replacement
    // characters (request.text(), Buffer#toString) or as Latin-1.
    weight: 2,
    arbitrary: fc
      .tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom("utf-8", "latin1" as const))
      .map(([bytes, decodeAs]) => ({
        text:
          decodeAs === "utf-8"
            ? new TextDecoder().decode(bytes)
            : Buffer.from(bytes).toString("latin1"),
        signedBytes: bytes,
      })),
  },
  { weight: 1, arbitrary: fc.constant({ text: "", signedBytes: new Uint8Array() }) },
  {
    weight: 1,
    arbitrary: fc.constant({ text: '{"id":1}', signedBytes: utf8('{"id":1}') }),
  },
);

function utf8(text: string) {
  return new Uint8Array(Buffer.from(text, "utf8"));
}

type SignatureKind =
  | "valid"
  | "valid over the text"
  | "other secret"
  | "flipped character"
  | "truncated"
  | "unpadded"
  | "url-safe"
  | "hex"
  | "lower-cased"
  | "extra character"
  | "surrounding space"
  | "random"
  | "empty";

// A signature for the body: the right one, or a near miss of it.
function signature(
  kind: SignatureKind,
  body: { text: string; signedBytes: Uint8Array },
  n: number,
) {
  const right = hmacOf(body.signedBytes);
  const base64 = right.toString("base64");
  switch (kind) {
    case "valid":
      return base64;
    case "valid over the text":
      return hmacOf(body.text).toString("base64");
    case "other secret":
      return hmacOf(body.signedBytes, `${SECRET}x`).toString("base64");
    case "flipped character": {
      const at = n % 43;
      const swapped = base64[at] === "A" ? "B" : "A";
      return base64.slice(0, at) + swapped + base64.slice(at + 1);
    }
    case "truncated":
      return base64.slice(0, n % 44);
    case "unpadded":
      return base64.replace(/=+$/, "");
    case "url-safe":
      return right.toString("base64url");
    case "hex":
      return right.toString("hex");
    case "lower-cased":
      return base64.toLowerCase();
    case "extra character":
      return `${base64}${"=A!"[n % 3]}`;
    case "surrounding space":
      return ` ${base64}\t`;
    case "random":
      return Buffer.from(String(n)).toString("base64");
    case "empty":
      return "";
  }
}

const signatureKindArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant<SignatureKind>("valid") },
  { weight: 2, arbitrary: fc.constant<SignatureKind>("valid over the text") },
  {
    weight: 10,
    arbitrary: fc.constantFrom<SignatureKind>(
      "other secret",
      "flipped character",
      "truncated",
      "unpadded",
      "url-safe",
      "hex",
      "lower-cased",
      "extra character",
      "surrounding space",
      "random",
      "empty",
    ),
  },
);

// What happens to one header: sent as is, left out, sent empty, sent twice, or oddly cased.
type HeaderFate = "send" | "drop" | "empty" | "twice same" | "twice other" | "spaces";
const fateArb = fc.oneof(
  { weight: 40, arbitrary: fc.constant<HeaderFate>("send") },
  {
    weight: 4,
    arbitrary: fc.constantFrom<HeaderFate>("drop", "empty", "twice same", "twice other", "spaces"),
  },
);
const caseArb = fc.constantFrom("canonical", "lower", "upper", "mixed");

function withCase(name: string, style: string, n: number) {
  switch (style) {
    case "lower":
      return name.toLowerCase();
    case "upper":
      return name.toUpperCase();
    case "mixed":
      return [...name]
        .map((c, i) => ((n >> i % 16) & 1 ? c.toUpperCase() : c.toLowerCase()))
        .join("");
    default:
      return name;
  }
}

const CLASSIC = {
  hmac: "X-Shopify-Hmac-Sha256",
  topic: "X-Shopify-Topic",
  shop: "X-Shopify-Shop-Domain",
  apiVersion: "X-Shopify-API-Version",
  webhookId: "X-Shopify-Webhook-Id",
  eventId: "X-Shopify-Event-Id",
  triggeredAt: "X-Shopify-Triggered-At",
};
// Shopify's newer "events" deliveries sign and describe themselves without the X- prefix.
const EVENTS = {
  hmac: "Shopify-Hmac-Sha256",
  topic: "Shopify-Topic",
  shop: "Shopify-Shop-Domain",
  apiVersion: "Shopify-API-Version",
  webhookId: "Shopify-Webhook-Id",
  triggeredAt: "Shopify-Triggered-At",
};

const topicArb = fc.constantFrom("orders/paid", "refunds/create", "app/uninstalled", "shop/redact");
const deliveryArb: fc.Arbitrary<{ delivery: Delivery; describe: string }> = fc
  .record({
    body: bodyArb,
    kind: signatureKindArb,
    n: fc.nat(),
    topic: topicArb,
    style: caseArb,
    fates: fc.array(fateArb, { minLength: 7, maxLength: 7 }),
    // Whether the delivery also (or only) carries the events-style headers.
    events: fc.oneof(
      { weight: 8, arbitrary: fc.constant("none" as const) },
      { weight: 1, arbitrary: fc.constantFrom("also" as const, "only" as const) },
    ),
    eventsKind: signatureKindArb,
    eventsFates: fc.array(fateArb, { minLength: 6, maxLength: 6 }),
    order: fc.nat(),
  })
  .map(({ body, kind, n, topic, style, fates, events, eventsKind, eventsFates, order }) => {
    const values = {
      topic,
      shop: "sig.myshopify.com",
      apiVersion: "2026-10",
      webhookId: `wh-${n}`,
      eventId: `evt-${n}`,
      triggeredAt: "2026-11-21T10:00:00.000Z",
    };
    const headers: Header[] = [["Content-Type", "application/json"]];
    const add = (names: Record<string, string>, sig: string, fateList: HeaderFate[]) => {
      Object.entries(names).forEach(([field, name], i) => {
        const value = field === "hmac" ? sig : values[field as keyof typeof values];
        const cased = withCase(name, style, n + i);
        switch (fateList[i]) {
          case "send":
            headers.push([cased, value]);
            break;
          case "drop":
            break;
          case "empty":
            headers.push([cased, ""]);
            break;
          case "twice same":
            headers.push([cased, value], [withCase(name, "lower", 0), value]);
            break;
          case "twice other":
            headers.push([cased, value], [withCase(name, "upper", 0), `${value}x`]);
            break;
          case "spaces":
            headers.push([cased, `  ${value} `]);
            break;
        }
      });
    };
    if (events !== "only") add(CLASSIC, signature(kind, body, n), fates);
    if (events !== "none") add(EVENTS, signature(eventsKind, body, n + 1), eventsFates);
    // Header order is the sender's: rotate it.
    const rotated = headers
      .slice(order % headers.length)
      .concat(headers.slice(0, order % headers.length));
    return {
      delivery: { body: body.text, headers: rotated },
      describe: `${kind}/${events}/${eventsKind}`,
    };
  });

// ---------------------------------------------------------------------------------------------
// The two transports, and the library
// ---------------------------------------------------------------------------------------------

// HTTP strips a header value's surrounding spaces and tabs; Node's parser and Fetch both do.
const onTheWire = (headers: Header[]): Header[] =>
  headers.map(([name, value]) => [name, value.replace(/^[ \t]+|[ \t]+$/g, "")]);

function fetchRequest({ body, headers }: Delivery) {
  const sent = new Headers();
  for (const [name, value] of onTheWire(headers)) sent.append(name, value);
  return new Request("https://sir-rewards.test/webhooks/orders/paid", {
    method: "POST",
    headers: sent,
    body: body === "" ? null : body,
  });
}

// Node's IncomingMessage as its parser fills it: names lower-cased, repeated headers joined
// with ", " (or the first kept, for the few headers HTTP says appear once).
function nodeRequest({ headers }: Delivery) {
  const message = new IncomingMessage(new Socket());
  const parsed: Record<string, string | string[]> = {};
  const addHeaderLine = (
    message as unknown as {
      _addHeaderLine(name: string, value: string, into: Record<string, unknown>): void;
    }
  )._addHeaderLine.bind(message);
  for (const [name, value] of onTheWire(headers)) addHeaderLine(name, value, parsed);
  message.headers = parsed;
  message.method = "POST";
  message.url = "/webhooks/orders/paid";
  return message;
}

type Verdict = { ok: true; headers: Record<string, string | null> } | { ok: false; reason: string };

function ours(result: ShopifyWebhookVerification): Verdict {
  if (!result.ok) return { ok: false, reason: result.reason };
  const { topic, shopDomain, apiVersion, webhookId, eventId, triggeredAt } = result.headers;
  return {
    ok: true,
    // The library stores topics as ORDERS_PAID.
    headers: {
      topic: topic.toUpperCase().replace(/\/|\./g, "_"),
      shopDomain,
      apiVersion,
      webhookId,
      eventId,
      triggeredAt,
    },
  };
}

async function library(delivery: Delivery, request: Request): Promise<Verdict> {
  const result = await shopify.webhooks.validate({ rawBody: delivery.body, rawRequest: request });
  if (!result.valid) return { ok: false, reason: result.reason };
  return {
    ok: true,
    headers: {
      topic: result.topic,
      shopDomain: result.domain,
      apiVersion: result.apiVersion,
      webhookId: result.webhookId,
      eventId: ("eventId" in result && result.eventId) || null,
      triggeredAt: result.triggeredAt ?? null,
    },
  };
}

async function verdicts(delivery: Delivery) {
  // One Fetch Request for the library and our Remix transport: both only read its headers.
  const request = fetchRequest(delivery);
  const viaNode = deliveryFromNodeRequest(nodeRequest(delivery));
  const viaFetch = deliveryFromRequest(request);
  return {
    library: await library(delivery, request),
    node: ours(
      verifyShopifyWebhook({ secret: SECRET, header: viaNode.header, rawBody: delivery.body }),
    ),
    fetch: ours(
      verifyShopifyWebhook({ secret: SECRET, header: viaFetch.header, rawBody: delivery.body }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------

describe("verifyShopifyWebhook agrees with @shopify/shopify-api's webhooks.validate", () => {
  it(`on ${RUNS.toLocaleString("en")} generated deliveries`, { timeout: 120_000 }, async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(deliveryArb, async ({ delivery, describe }) => {
        const { library: theirs, node, fetch } = await verdicts(delivery);
        const key = theirs.ok ? "accepted" : theirs.reason;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        expect({ describe, node }).toEqual({ describe, node: theirs });
        expect({ describe, fetch }).toEqual({ describe, fetch: theirs });
      }),
      { numRuns: RUNS },
    );
    // Every class was reached often enough to mean something.
    const share = (key: string) => (outcomes.get(key) ?? 0) / RUNS;
    expect(share("accepted")).toBeGreaterThan(0.15);
    expect(share("invalid_hmac")).toBeGreaterThan(0.15);
    expect(share("missing_hmac")).toBeGreaterThan(0.01);
    expect(share("missing_headers")).toBeGreaterThan(0.01);
    expect(share("missing_body")).toBeGreaterThan(0.01);
    console.info("differential outcomes", Object.fromEntries(outcomes));
  });

  it("agrees on the cases worth naming", async () => {
    const body = '{"id":1}';
    const valid = hmacOf(body).toString("base64");
    const base: Header[] = [
      ["X-Shopify-Hmac-Sha256", valid],
      ["X-Shopify-Topic", "orders/paid"],
      ["X-Shopify-Shop-Domain", "sig.myshopify.com"],
      ["X-Shopify-API-Version", "2026-10"],
      ["X-Shopify-Webhook-Id", "wh-1"],
    ];
    const cases: [string, Delivery, string][] = [
      ["valid", { body, headers: base }, "accepted"],
      [
        "empty body, signed",
        { body: "", headers: replace(base, 0, hmacOf("").toString("base64")) },
        "missing_body",
      ],
      [
        "signature twice",
        { body, headers: [...base, ["x-shopify-hmac-sha256", valid]] },
        "invalid_hmac",
      ],
      [
        "signature url-safe",
        { body, headers: replace(base, 0, hmacOf(body).toString("base64url")) },
        "invalid_hmac",
      ],
      [
        "signature unpadded",
        { body, headers: replace(base, 0, valid.replace(/=+$/, "")) },
        "invalid_hmac",
      ],
      [
        "no topic",
        { body, headers: base.filter(([n]) => n !== "X-Shopify-Topic") },
        "missing_headers",
      ],
      [
        "events-style signature beside a valid one, wrong",
        { body, headers: [...base, ["Shopify-Hmac-Sha256", valid.replace(/^./, "A")]] },
        "invalid_hmac",
      ],
      [
        "events-style delivery",
        {
          body,
          headers: [
            ["Shopify-Hmac-Sha256", valid],
            ["Shopify-Topic", "orders/paid"],
            ["Shopify-Shop-Domain", "sig.myshopify.com"],
            ["Shopify-API-Version", "2026-10"],
            ["Shopify-Webhook-Id", "wh-1"],
          ],
        },
        "accepted",
      ],
    ];
    for (const [name, delivery, expected] of cases) {
      const { library: theirs, node, fetch } = await verdicts(delivery);
      expect([name, theirs.ok ? "accepted" : theirs.reason]).toEqual([name, expected]);
      expect([name, node]).toEqual([name, theirs]);
      expect([name, fetch]).toEqual([name, theirs]);
    }
  });
});

function replace(headers: Header[], index: number, value: string): Header[] {
  return headers.map((header, i) => (i === index ? [header[0], value] : header));
}
