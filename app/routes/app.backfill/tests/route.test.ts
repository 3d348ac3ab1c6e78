import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SetupServerApi } from "msw/node";
import { startSandbox, type Sandbox } from "../../../../test/sir-sandbox/server";
import { FakeAdminApi, interceptAdminApi } from "../../../../test/admin/fake-admin-api";
import { paidOrder, paidOrdersUntilNow } from "../../../../test/admin/orders";
import {
  adminRequest,
  callRoute,
  connectToSandbox,
  createSandboxPartner,
  uniqueShop,
} from "../../../../test/admin/helpers";
import { db } from "../../../db.server";
import { claimRunningBackfills } from "../../../models/BackfillRun.server";
import { runBackfillStep } from "../../../services/backfill.server";
import { action, loader } from "../route";

vi.mock("~/shopify.server", () => import("../../../../test/admin/fake-shopify.server"));

let sandbox: Sandbox;
let msw: SetupServerApi;
const adminApi = new FakeAdminApi();

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  msw = interceptAdminApi(adminApi, [sandbox.url]);
});
afterAll(async () => {
  msw?.close();
  await sandbox?.close();
  await db.$disconnect();
});

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function connectedShop() {
  const shop = uniqueShop();
  const partner = await createSandboxPartner(sandbox.url);
  await connectToSandbox(db, shop, sandbox.url, partner);
  return { shop, partner };
}

const page = (shop: string) => callRoute(loader, adminRequest(shop, "/app/backfill"));
const post = (shop: string, form: Record<string, string>) =>
  callRoute(action, adminRequest(shop, "/app/backfill", form));

/** What the app's worker does for a running backfill: one Admin API page per step. */
async function advance(runId: string) {
  const [claimed] = await claimRunningBackfills(1, 60_000, { onlyId: runId });
  if (claimed) await runBackfillStep(claimed);
}

const sandboxActions = (partnerId: string) =>
  [...sandbox.state.actions.values()].filter((action) => action.partnerId === partnerId);

describe("backfill page", () => {
  it("sends a shop without SIR to Settings", async () => {
    const shop = uniqueShop();
    expect(await page(shop)).toMatchObject({ connected: false, run: null });
    expect(await post(shop, { intent: "start", since: daysAgo(10) })).toEqual({
      intent: "start",
      error: "Connect SIR in Settings before rewarding past orders.",
    });
  });

  it("explains a date it cannot use", async () => {
    const { shop } = await connectedShop();
    const start = (since: string) => post(shop, { intent: "start", since });
    expect(await start("")).toMatchObject({
      error: "Choose the date of the first order to reward.",
    });
    expect(await start("2026-02-30")).toMatchObject({
      error: "Choose the date of the first order to reward.",
    });
    expect(await start(daysAgo(-2))).toMatchObject({
      error: "Choose a date in the past: there are no orders after today yet.",
    });
    expect(await start(daysAgo(90))).toMatchObject({
      error: `Shopify lets this app read only the last 60 days of orders. Choose ${daysAgo(60)} or later.`,
    });
    expect((await page(shop)).run).toBeNull();
  });

  it("fetches past paid orders through the Admin API, submits them in bulk of 100, counts live, and never rewards twice", async () => {
    const { shop, partner } = await connectedShop();
    const unpaid = {
      ...paidOrder(9001, new Date().toISOString()),
      displayFinancialStatus: "PENDING",
    };
    const tooOld = paidOrder(9002, `${daysAgo(20)}T12:00:00Z`);
    adminApi.setOrders(shop, [...paidOrdersUntilNow(130), unpaid, tooOld]);

    expect(await post(shop, { intent: "start", since: daysAgo(14) })).toEqual({
      intent: "start",
      error: null,
    });
    const started = await page(shop);
    expect(started).toMatchObject({
      run: { status: "running", since: daysAgo(14), ordersSeen: 0 },
      total: { count: 130, exact: true },
    });
    const runId = started.run!.id;

    await advance(runId);
    const midway = await page(shop);
    expect(midway.run).toMatchObject({ status: "running", ordersSeen: 100, rewarded: 100 });
    await advance(runId);
    const done = await page(shop);
    expect(done.run).toMatchObject({
      status: "done",
      ordersSeen: 130,
      rewarded: 130,
      alreadyRecorded: 0,
      failed: 0,
    });
    expect(done.total).toEqual({ count: 130, exact: true });

    // The Admin API: one count (cached across reloads), two pages of ≤ 100 paid orders since the date.
    expect(adminApi.callsTo(shop, "PaidOrdersCount")).toHaveLength(1);
    const pages = adminApi.callsTo(shop, "PaidOrders");
    expect(pages).toHaveLength(2);
    for (const call of pages) {
      expect(call.variables).toMatchObject({
        first: 100,
        query: `financial_status:paid created_at:>=${daysAgo(14)}`,
      });
    }
    const bulkCalls = sandbox.state.requestLog.filter(
      (request) =>
        request.path === "/v1/partner/actions/bulk" &&
        request.partnerKeyPrefix === partner.secretKey.slice(0, 16),
    );
    expect(bulkCalls).toHaveLength(2);
    expect(sandboxActions(partner.partnerId)).toHaveLength(130);

    // Again, over the same orders: every one is found in the ledger, none sent twice.
    await post(shop, { intent: "start", since: daysAgo(14) });
    const rerun = await page(shop);
    expect(rerun.run!.id).not.toBe(runId);
    for (let step = 0; step < 2; step++) await advance(rerun.run!.id);
    expect((await page(shop)).run).toMatchObject({
      status: "done",
      ordersSeen: 130,
      rewarded: 0,
      alreadyRecorded: 130,
    });
    expect(sandboxActions(partner.partnerId)).toHaveLength(130);
  });

  it("pauses and resumes where it stopped", async () => {
    const { shop } = await connectedShop();
    adminApi.setOrders(shop, paidOrdersUntilNow(110));
    await post(shop, { intent: "start", since: daysAgo(14) });
    const runId = (await page(shop)).run!.id;
    await advance(runId);

    expect(await post(shop, { intent: "pause" })).toEqual({ intent: "pause" });
    await advance(runId);
    expect((await page(shop)).run).toMatchObject({ status: "paused", ordersSeen: 100 });

    await post(shop, { intent: "resume" });
    await advance(runId);
    expect((await page(shop)).run).toMatchObject({
      status: "done",
      ordersSeen: 110,
      rewarded: 110,
    });
  });
});
