// First: msw must listen before @shopify/shopify-api is imported (it captures fetch then).
import {
  adminHost,
  grants,
  sessionToken,
  tokenExchangeCalls,
  tokenExchangeServer,
} from "../helpers/shopify-token-exchange";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createDatabase } from "../../app/db.server";
import { sessionStorage } from "../../app/shopify.server";
import { buildShopifyWebhook, webhookPath } from "../helpers/shopify-webhooks";
import { TEST_APP_ENV } from "../helpers/app-env";
import { waitFor } from "../helpers/wait-for";

// A merchant's first open of the embedded app, as Shopify drives it: the admin loads
// /app?embedded=1&shop=…&host=…&id_token=<session token> in its iframe, on a shop the app has
// no session for. The production build answers it in this process (so msw sees its calls to
// Shopify), with the worker in this thread for the app/* webhooks that follow.
type BuildWithBackground = ServerBuild & {
  entry: { module: { startBackgroundWork(): Promise<{ stop(): Promise<unknown> }> } };
};

const APP_URL = TEST_APP_ENV.SHOPIFY_APP_URL;
const db = createDatabase(process.env.DATABASE_URL);
let handle: (request: Request) => Promise<Response>;
let background: { stop(): Promise<unknown> };

beforeAll(async () => {
  const buildDir = process.env.BUILD_DIR;
  if (!buildDir) throw new Error("the install test needs the production build (BUILD_DIR)");
  const build = (await import(
    pathToFileURL(join(buildDir, "server", "index.js")).href
  )) as BuildWithBackground;
  handle = createRequestHandler(build, "production");
  background = await build.entry.module.startBackgroundWork();
});
afterAll(async () => {
  await background?.stop();
  tokenExchangeServer.close();
  await db.$disconnect();
});

/** The admin opening the app's home in its iframe (a document request, not a bot). */
function openApp(shop: string) {
  const query = new URLSearchParams({
    embedded: "1",
    shop,
    host: adminHost(shop),
    id_token: sessionToken(shop),
  });
  return handle(
    new Request(`${APP_URL}/app?${query}`, {
      headers: { Accept: "text/html", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130" },
    }),
  );
}

function deliver(topic: string, shop: string, body: object, triggeredAt = new Date()) {
  const { rawBody, headers } = buildShopifyWebhook({
    topic,
    shop,
    body,
    triggeredAt: triggeredAt.toISOString(),
  });
  return handle(
    new Request(new URL(webhookPath(topic), APP_URL), { method: "POST", headers, body: rawBody }),
  );
}

const offlineSession = (shop: string) => sessionStorage.loadSession(`offline_${shop}`);
const eventsDone = async (shop: string, topic: string, count: number) =>
  (await db.webhookEvent.count({ where: { shopDomain: shop, topic, status: "done" } })) === count;

describe("installing the app", () => {
  const shop = `install-${randomUUID().slice(0, 8)}.myshopify.com`;

  it("exchanges the session token for an offline token, stores it, records the install and shows the first step", async () => {
    grants.set(shop, { accessToken: "shpat_first_install", scope: "read_orders,read_customers" });
    const before = Date.now();
    const response = await openApp(shop);
    const html = await response.text();
    expect(response.status).toBe(200);

    // Shopify's token exchange, as documented: offline token for the shop's session token.
    const calls = tokenExchangeCalls.filter((call) => call.shop === shop);
    expect(calls.length).toBeGreaterThan(0);
    for (const { body } of calls) {
      expect(body).toMatchObject({
        client_id: TEST_APP_ENV.SHOPIFY_API_KEY,
        client_secret: TEST_APP_ENV.SHOPIFY_API_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      });
      expect(body.subject_token.split(".")).toHaveLength(3);
    }

    // The session, read back through the app's session storage (whatever it seals at rest).
    const session = await offlineSession(shop);
    expect(session).toMatchObject({
      shop,
      isOnline: false,
      accessToken: "shpat_first_install",
      scope: "read_orders,read_customers",
    });

    // afterAuth recorded the installation.
    const installed = await db.shop.findUnique({ where: { domain: shop } });
    expect(installed?.uninstalledAt).toBeNull();
    expect(installed!.installedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);

    // The first screen says what to do first.
    expect(html).toContain("Connect your SIR Giving account");
    expect(html).toContain("Connect SIR");
    expect(html).toContain("/app/settings");

    // Opening it again uses the stored session: no second exchange.
    const again = await openApp(shop);
    await again.text();
    expect(again.status).toBe(200);
    expect(tokenExchangeCalls.filter((call) => call.shop === shop)).toHaveLength(calls.length);
  });

  it("keeps the session's scope in step with app/scopes_update", async () => {
    const current = ["read_orders", "read_customers", "read_products"];
    const response = await deliver("app/scopes_update", shop, {
      id: 1,
      previous: ["read_orders", "read_customers"],
      current,
      updated_at: new Date().toISOString(),
    });
    expect(response.status).toBe(200);
    await waitFor(async () => (await offlineSession(shop))?.scope === current.join(","), {
      what: "the session's scope updated",
    });
  });

  it("uninstalls, ignores a late uninstall after the reinstall, and installs again", async () => {
    const firstInstall = await db.shop.findUnique({ where: { domain: shop } });
    const uninstalledAt = new Date();
    expect((await deliver("app/uninstalled", shop, { domain: shop }, uninstalledAt)).status).toBe(
      200,
    );
    await waitFor(
      async () => !(await offlineSession(shop)) && (await eventsDone(shop, "app/uninstalled", 1)),
      { what: "the uninstall applied" },
    );
    const gone = await db.shop.findUnique({ where: { domain: shop } });
    expect(gone?.uninstalledAt?.getTime()).toBe(uninstalledAt.getTime());
    expect(gone?.installedAt.getTime()).toBe(firstInstall!.installedAt.getTime());

    // The merchant reinstalls: no session, so a new exchange, a new token, a new installation.
    await new Promise((resolve) => setTimeout(resolve, 20));
    grants.set(shop, { accessToken: "shpat_reinstalled", scope: "read_orders,read_customers" });
    const exchangesBefore = tokenExchangeCalls.filter((call) => call.shop === shop).length;
    const response = await openApp(shop);
    expect(await response.text()).toContain("Connect your SIR Giving account");
    expect(tokenExchangeCalls.filter((call) => call.shop === shop).length).toBeGreaterThan(
      exchangesBefore,
    );
    expect((await offlineSession(shop))?.accessToken).toBe("shpat_reinstalled");
    const reinstalled = await db.shop.findUnique({ where: { domain: shop } });
    expect(reinstalled?.uninstalledAt).toBeNull();
    expect(reinstalled!.installedAt.getTime()).toBeGreaterThan(uninstalledAt.getTime());

    // An app/uninstalled from before the reinstall arrives late (another event id): ignored.
    const late = new Date(uninstalledAt.getTime() + 5);
    expect((await deliver("app/uninstalled", shop, { domain: shop }, late)).status).toBe(200);
    await waitFor(() => eventsDone(shop, "app/uninstalled", 2), { what: "the late uninstall" });
    expect((await offlineSession(shop))?.accessToken).toBe("shpat_reinstalled");
    expect((await db.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt).toBeNull();
  });
});
