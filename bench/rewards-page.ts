import { createHmac, randomUUID } from "node:crypto";
import { startAppServer } from "../test/helpers/app-server";
import { TEST_APP_ENV } from "../test/helpers/app-env";
import { createDatabase } from "../app/db.server";
import { encodeLedgerCursor } from "../app/services/admin/ledger-cursor";
import { PRODUCTION_WORKER_ENV, storeOfflineSession, useFreshDatabase } from "./environment";
import { percentile } from "./stats";

export type RewardsPageRun = {
  rows: number;
  renders: number;
  p50Ms: number;
  p95Ms: number;
  firstPageP95Ms: number;
  deepPageP95Ms: number;
};

const SHOP = "bench-ledger.myshopify.com";
const DEEP_PAGES = 20;
const WARM_UP_RENDERS = 20;
const MEASURED_RENDERS = 200;

// Order i is created at 2025-01-01 + i seconds; a mix of statuses as a live ledger has them.
// One SQL statement: Prisma's createMany takes minutes for this many rows. Dates are written in
// the text format Prisma's SQLite adapter stores.
const SEED_LEDGER = `
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
  INSERT INTO "Reward" ("id", "shopDomain", "orderId", "orderName", "currency", "basisMinor",
    "amount", "status", "workPending", "idempotencyKey", "tokensDistributed", "nextAttemptAt",
    "createdAt", "updatedAt")
  SELECT 'ledger' || printf('%08d', i), ?, CAST(7000000000000 + i AS TEXT), '#' || (10000 + i),
    'USD', 4999, '49.99',
    CASE i % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'skipped' WHEN 2 THEN 'partially_reversed'
      ELSE 'rewarded' END,
    false, 'shopify:' || ? || ':order:' || (7000000000000 + i), 50,
    strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1735689600 + i, 'unixepoch'),
    strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1735689600 + i, 'unixepoch'),
    strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1735689600 + i, 'unixepoch')
  FROM n`;

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A session token as Shopify's admin hands one to an embedded app (HS256, the app's secret). */
function sessionToken(shop: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: TEST_APP_ENV.SHOPIFY_API_KEY,
      sub: "1",
      exp: now + 3600,
      nbf: now - 10,
      iat: now - 10,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", TEST_APP_ENV.SHOPIFY_API_SECRET)
    .update(`${header}.${payload}`)
    .digest();
  return `${header}.${payload}.${base64url(signature)}`;
}

/**
 * The Rewards admin page (app/routes/app.rewards) rendered by the production server, as the
 * Shopify admin loads it in its iframe: authenticated by a session token, both loaders (app and
 * rewards) run, React renders the HTML. The shop's ledger holds `rows` rows; renders alternate
 * between the first page and pages deep in the ledger (keyset cursors).
 */
export async function measureRewardsPage(rows: number): Promise<RewardsPageRun> {
  const database = await useFreshDatabase("sqlite");
  const db = createDatabase(database.url);
  const app = await startAppServer({ env: PRODUCTION_WORKER_ENV });
  try {
    await db.$executeRawUnsafe(SEED_LEDGER, rows, SHOP, SHOP);
    await storeOfflineSession(db, SHOP, TEST_APP_ENV.SCOPES);
    const deepCursors: string[] = [];
    for (let page = 1; page <= DEEP_PAGES; page++) {
      const [row] = await db.reward.findMany({
        where: { shopDomain: SHOP },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: Math.floor((rows * page) / (DEEP_PAGES + 1)),
        take: 1,
        select: { createdAt: true, id: true },
      });
      deepCursors.push(encodeLedgerCursor(row));
    }

    const host = base64url(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`);
    const newestOrder = `#${10_000 + rows - 1}`;
    const render = async (cursor: string | null) => {
      const query = new URLSearchParams({ embedded: "1", shop: SHOP, host });
      query.set("id_token", sessionToken(SHOP));
      if (cursor) query.set("after", cursor);
      const startedAt = performance.now();
      const response = await fetch(`${app.url}/app/rewards?${query}`, {
        headers: {
          Accept: "text/html",
          "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130",
        },
      });
      const html = await response.text();
      const ms = performance.now() - startedAt;
      // The first page must list the newest order: the ledger really was read and rendered.
      if (response.status !== 200 || (cursor === null && !html.includes(newestOrder))) {
        throw new Error(`rewards page answered ${response.status}: ${html.slice(0, 300)}`);
      }
      return ms;
    };

    for (let index = 0; index < WARM_UP_RENDERS; index++) await render(null);
    const firstPage: number[] = [];
    const deepPage: number[] = [];
    for (let index = 0; index < MEASURED_RENDERS; index++) {
      if (index % 2 === 0) firstPage.push(await render(null));
      else deepPage.push(await render(deepCursors[Math.floor(index / 2) % DEEP_PAGES]));
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const all = sorted([...firstPage, ...deepPage]);
    return {
      rows,
      renders: all.length,
      p50Ms: percentile(all, 50),
      p95Ms: percentile(all, 95),
      firstPageP95Ms: percentile(sorted(firstPage), 95),
      deepPageP95Ms: percentile(sorted(deepPage), 95),
    };
  } finally {
    await app.stop();
    await db.$disconnect();
    await database.drop();
  }
}
