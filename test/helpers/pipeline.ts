import { randomUUID } from "node:crypto";
import {
  behaviourFromList,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from "../sir-sandbox/server";
import { createDatabase, type Database } from "../../app/db.server";
import { startAppServer, type AppServer } from "./app-server";
import { runCli } from "./cli";
import { SandboxControl, type SandboxPartner } from "./sandbox-control";
import { deliverShopifyWebhook } from "./shopify-webhooks";

export type { SandboxAction, SandboxPartner } from "./sandbox-control";

/**
 * SIR_SANDBOX_BEHAVIOUR (e.g. "no-bulk"): the end-to-end suite run against a SIR that does the
 * other plausible thing (test/sir-sandbox/behaviour.ts), e.g. one without a bulk endpoint.
 */
export function sandboxBehaviourFromEnv() {
  return behaviourFromList(process.env.SIR_SANDBOX_BEHAVIOUR);
}

// The whole system under test, over real HTTP: the SIR sandbox, the app's
// production server as its own process, and a database shared with the test.
export class Pipeline {
  private readonly controlApi: SandboxControl;

  private constructor(
    readonly sandbox: Sandbox,
    public app: AppServer,
    readonly db: Database,
    private readonly appEnv: Record<string, string>,
  ) {
    this.controlApi = new SandboxControl(sandbox.url);
  }

  static async start(
    options: { sandbox?: SandboxOptions; appEnv?: Record<string, string> } = {},
  ): Promise<Pipeline> {
    const sandbox = await startSandbox({
      port: 0,
      webhookRetryDelaysMs: [100, 300, 1000],
      ...options.sandbox,
      behaviour: { ...sandboxBehaviourFromEnv(), ...options.sandbox?.behaviour },
    });
    const appEnv = options.appEnv ?? {};
    const app = await startAppServer({ env: appEnv });
    return new Pipeline(sandbox, app, createDatabase(process.env.DATABASE_URL), appEnv);
  }

  async stop() {
    await this.app.stop();
    await this.sandbox.close();
    await this.db.$disconnect();
  }

  /** Simulates a crash of the app process and starts it again. */
  async restartApp({ kill = true } = {}) {
    await (kill ? this.app.kill() : this.app.stop());
    this.app = await startAppServer({ env: this.appEnv });
  }

  /** The sandbox's control API (/__sandbox/); throws on a non-2xx answer. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.controlApi.request<T>(method, path, body);
  }

  /** The sandbox's arrival log of /v1 requests, oldest first. */
  sandboxRequests() {
    return this.controlApi.requestLog();
  }

  /** A new shop connected (through the operator CLI) to a new SIR partner. */
  async connectNewShop(partnerSpec: Record<string, unknown> = {}) {
    const shop = `shop-${randomUUID().slice(0, 8)}.myshopify.com`;
    const partner = await this.controlApi.createPartner({ name: shop, ...partnerSpec });
    await this.reconnect(shop, partner);
    return { shop, partner };
  }

  /** `shop connect` through the operator CLI, with these keys. */
  async reconnect(
    shop: string,
    keys: Pick<SandboxPartner, "publicKey" | "secretKey" | "hmacSecret">,
  ) {
    const result = await runCli(
      [
        "shop",
        "connect",
        "--shop",
        shop,
        "--environment",
        "sandbox",
        "--api-url",
        this.sandbox.url,
        "--public-key",
        keys.publicKey,
        "--app-url",
        this.app.url,
      ],
      // As an operator should: secrets in the environment, never on the command line.
      { SIR_SECRET_KEY: keys.secretKey, SIR_HMAC_SECRET: keys.hmacSecret },
    );
    if (result.code !== 0) throw new Error(`shop connect failed: ${result.stderr}${result.stdout}`);
  }

  deliver(topic: string, shop: string, body: string, eventId?: string) {
    return deliverShopifyWebhook(this.app.url, { topic, shop, body, eventId });
  }

  actions(partnerId: string) {
    return this.controlApi.actions(partnerId);
  }

  rewards(shopDomain: string) {
    return this.db.reward.findMany({ where: { shopDomain }, orderBy: { createdAt: "asc" } });
  }

  reward(shopDomain: string, orderId: string) {
    return this.db.reward.findUnique({ where: { shopDomain_orderId: { shopDomain, orderId } } });
  }
}
