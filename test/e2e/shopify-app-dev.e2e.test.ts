import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../sir-sandbox/server";
import { SandboxControl, type SandboxPartner } from "../helpers/sandbox-control";
import { runCli } from "../helpers/cli";
import { deliverShopifyWebhook } from "../helpers/shopify-webhooks";
import { paidOrder } from "../helpers/paid-orders";
import { waitFor } from "../helpers/wait-for";
import { TEST_APP_ENV } from "../helpers/app-env";
import { sandboxBehaviourFromEnv } from "../helpers/pipeline";
import { cliCommandParts, readWebToml } from "../helpers/web-toml";

// `shopify app dev` without Shopify's servers: the `dev` command of shopify.web.toml, run as the
// Shopify CLI runs it (split on &&, no shell, the CLI's variables), against a fresh SQLite
// database and the SIR sandbox. The CLI's tunnel would forward to the dev server's port; the
// test talks to that port directly.
const ROOT = join(import.meta.dirname, "..", "..");
const TUNNEL_URL = "https://sir-rewards-dev.trycloudflare.com";
const API_KEY = "dev-api-key";
const API_SECRET = "dev-api-secret-from-the-partner-dashboard";
const SHOP = "dev-store.myshopify.com";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let sandbox: Sandbox;
let control: SandboxControl;
let partner: SandboxPartner;
let directory: string;
let databaseUrl: string;
let port: number;
let output = "";
let running: ChildProcess | null = null;
let commandsDone: Promise<number>;

// The environment launchWebProcess gives the web process (@shopify/cli 3.92), on top of the
// developer's own (execa extends process.env): the tunnel URL as HOST and APP_URL, not
// SHOPIFY_APP_URL. The test's own app variables are not the developer's, so they go.
function cliEnvironment(frontendPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...Object.keys(TEST_APP_ENV), "BUILD_DIR", "SHOPIFY_APP_URL"]) {
    delete env[name];
  }
  return {
    ...env,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    HOST: TUNNEL_URL,
    SCOPES: "read_orders,read_customers,read_products",
    NODE_ENV: "development",
    BACKEND_PORT: String(port),
    FRONTEND_PORT: String(frontendPort),
    APP_URL: TUNNEL_URL,
    APP_ENV: "development",
    REMIX_DEV_ORIGIN: TUNNEL_URL,
    PORT: String(port),
    SERVER_PORT: String(port),
    // The developer's: a fresh database, the sandbox allowed as a provider address.
    DATABASE_URL: databaseUrl,
    PROVIDER_ALLOWED_HOSTS: "127.0.0.1,localhost",
    LOG_LEVEL: "info",
    FORCE_COLOR: "0",
  };
}

async function runDevCommand(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  for (const { cmd, args } of cliCommandParts(command)) {
    // Its own process group, so the whole tree (npm → remix → threads) ends with the test.
    const child = spawn(cmd, args, { cwd: ROOT, env, detached: true });
    running = child;
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number>((resolve) =>
      child.once("exit", (exitCode) => resolve(exitCode ?? -1)),
    );
    running = null;
    if (code !== 0) return code;
  }
  return 0;
}

const count = (text: string) => output.split(text).length - 1;

// The worker's starts and stops in the order logged: one worker at a time means they alternate,
// starting with a start. (Others may edit the threads' sources in this working tree while the
// test runs; each such edit is a stop and a start, never a second worker.)
const lifecycle = () =>
  [...output.matchAll(/"msg":"worker (started|stopped)"/g)].map((match) => match[1]);
async function expectOneWorkerRunning() {
  const events = await waitFor(() => (lifecycle().length % 2 === 1 ? lifecycle() : null), {
    what: "the worker running (a restart in progress to finish)",
    timeoutMs: 60_000,
  });
  events.forEach((event, index) => expect(event).toBe(index % 2 === 0 ? "started" : "stopped"));
}
const restartsFor = (file: string) =>
  [...output.matchAll(/"msg":"worker code changed; restarting","file":"([^"]+)"/g)].filter(
    (match) => match[1].endsWith(file),
  ).length;

const threadDirectories = () =>
  existsSync(join(ROOT, ".cache"))
    ? readdirSync(join(ROOT, ".cache")).filter((name) => name.startsWith("dev-threads-"))
    : [];
let threadDirectoriesBefore = new Set<string>();

beforeAll(async () => {
  threadDirectoriesBefore = new Set(threadDirectories());
  directory = mkdtempSync(join(tmpdir(), "sir-app-dev-"));
  databaseUrl = `file:${join(directory, "dev.sqlite")}`;
  sandbox = await startSandbox({
    port: 0,
    webhookRetryDelaysMs: [200, 1000],
    behaviour: sandboxBehaviourFromEnv(),
  });
  control = new SandboxControl(sandbox.url);
  partner = await control.createPartner({ name: "Dev Store" });
  port = await freePort();
  const { dev } = readWebToml().commands;
  commandsDone = runDevCommand(dev!, cliEnvironment(await freePort()));
  let exited: number | null = null;
  void commandsDone.then((code) => (exited = code));
  await waitFor(
    () => {
      if (exited !== null) throw new Error(`the dev command exited with ${exited}:\n${output}`);
      return output.includes('"msg":"worker started"');
    },
    { what: "the dev server's worker", timeoutMs: 150_000, intervalMs: 250 },
  );
}, 180_000);

afterAll(async () => {
  const pid = running?.pid;
  if (pid) {
    const groupAlive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (groupAlive()) process.kill(-pid, "SIGTERM");
    // The whole group, npm's child included, before its files are cleaned up.
    for (let waited = 0; groupAlive() && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (groupAlive()) process.kill(-pid, "SIGKILL");
    await commandsDone;
  }
  await sandbox?.close();
  rmSync(directory, { recursive: true, force: true });
  // The threads' bundles of the dev server just ended (it had no time to remove them).
  for (const name of threadDirectories()) {
    if (!threadDirectoriesBefore.has(name))
      rmSync(join(ROOT, ".cache", name), { recursive: true, force: true });
  }
}, 30_000);

describe("shopify app dev (the dev command of shopify.web.toml)", () => {
  it("migrates the fresh database, serves, and rewards a signed orders/paid through the dev server", async () => {
    expect(output).toMatch(/sqlite: applied \S*_init/);
    const url = `http://localhost:${port}`;
    expect(await (await fetch(`${url}/healthz`)).text()).toBe("ok\n");
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });

    // Connected as a developer would from the terminal: the development key on both sides.
    const connected = await runCli(
      [
        "shop",
        "connect",
        "--shop",
        SHOP,
        "--environment",
        "sandbox",
        "--api-url",
        sandbox.url,
        "--public-key",
        partner.publicKey,
        "--secret-key",
        partner.secretKey,
        "--hmac-secret",
        partner.hmacSecret,
        "--app-url",
        url,
      ],
      { DATABASE_URL: databaseUrl, ENCRYPTION_KEY: "", NODE_ENV: "development" },
    );
    expect(connected.code, connected.stderr + connected.stdout).toBe(0);

    const first = paidOrder(0);
    const response = await deliverShopifyWebhook(url, {
      topic: "orders/paid",
      shop: SHOP,
      body: first.body,
      secret: API_SECRET,
    });
    expect(response.status).toBe(200);
    const [action] = await waitFor(
      async () => {
        const actions = await control.actions(partner.partnerId);
        return actions.length === 1 && actions[0].tokensDistributed > 0 ? actions : null;
      },
      { what: "the reward at the sandbox", timeoutMs: 30_000 },
    );
    expect(action.idempotencyKey).toBe(`shopify:${SHOP}:order:${first.orderId}`);
  }, 90_000);

  it("keeps one worker through rebuilds, which still rewards the next order", async () => {
    const url = `http://localhost:${port}`;
    // Touched, not changed: Vite's watcher sees a change and reloads the server modules.
    for (const file of ["app/routes/webhooks.orders.paid.tsx", "app/entry.server.tsx"]) {
      const reloads = count("page reload");
      const now = new Date();
      utimesSync(join(ROOT, file), now, now);
      await waitFor(() => count("page reload") > reloads, {
        what: `Vite's reload after touching ${file}; output so far:\n${output}`,
        timeoutMs: 20_000,
      });
    }
    // The reloaded modules are evaluated again by the next requests.
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
      what: "/readyz 200 after the reloads",
    });

    const second = paidOrder(1);
    const response = await deliverShopifyWebhook(url, {
      topic: "orders/paid",
      shop: SHOP,
      body: second.body,
      secret: API_SECRET,
    });
    expect(response.status).toBe(200);
    const actions = await waitFor(
      async () => {
        const all = await control.actions(partner.partnerId);
        return all.length === 2 && all.every((a) => a.tokensDistributed > 0) ? all : null;
      },
      { what: "the second reward at the sandbox", timeoutMs: 30_000 },
    );
    expect(new Set(actions.map((a) => a.idempotencyKey)).size).toBe(2);
    // Neither file is in the threads' bundles: the reloads restarted nothing.
    expect(restartsFor("webhooks.orders.paid.tsx") + restartsFor("entry.server.tsx")).toBe(0);
    await expectOneWorkerRunning();
  }, 90_000);

  it("restarts the one worker on the new code when the worker's own code changes", async () => {
    const url = `http://localhost:${port}`;
    const now = new Date();
    utimesSync(join(ROOT, "app/jobs/worker.server.ts"), now, now);
    await waitFor(
      () => {
        const restart = output.lastIndexOf("app/jobs/worker.server.ts");
        return restart >= 0 && output.indexOf('"msg":"worker started"', restart) > restart;
      },
      { what: `the worker started again; output so far:\n${output}`, timeoutMs: 90_000 },
    );
    expect(restartsFor("app/jobs/worker.server.ts")).toBeGreaterThanOrEqual(1);
    await expectOneWorkerRunning();

    const third = paidOrder(2);
    const response = await deliverShopifyWebhook(url, {
      topic: "orders/paid",
      shop: SHOP,
      body: third.body,
      secret: API_SECRET,
    });
    expect(response.status).toBe(200);
    await waitFor(
      async () => {
        const all = await control.actions(partner.partnerId);
        return all.length === 3 && all.every((a) => a.tokensDistributed > 0) ? all : null;
      },
      { what: "the third reward at the sandbox", timeoutMs: 30_000 },
    );
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, {
      what: "/readyz 200 after the restart",
    });
    await expectOneWorkerRunning();
  }, 150_000);
});
