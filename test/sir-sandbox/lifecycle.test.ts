import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "./server";
import {
  control,
  createPartner,
  purchase,
  rawRequest,
  signedRequest,
  widgetRequest,
} from "./test-client";
import { useSandbox } from "./test-fixture";

const fixedKeys = {
  name: "Demo Store",
  publicKey: `pk_test_${"1".repeat(64)}`,
  secretKey: `sk_test_${"2".repeat(64)}`,
  hmacSecret: "3".repeat(64),
  campaignMultiplier: 2,
};

let seedFile: string;
beforeAll(async () => {
  seedFile = join(await mkdtemp(join(tmpdir(), "sir-sandbox-")), "seed.json");
  await writeFile(seedFile, JSON.stringify([fixedKeys]));
});

describe("startup", () => {
  it("starts in well under a second", async () => {
    const started = performance.now();
    const sandbox = await startSandbox({ port: 0 });
    const elapsedMs = performance.now() - started;
    await sandbox.close();
    console.log(`startSandbox() took ${elapsedMs.toFixed(1)} ms`);
    expect(elapsedMs).toBeLessThan(1000);
  });

  it("runs as a CLI: prints its URL, serves the seed partner, exits cleanly on SIGTERM", async () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", main, "--port", "0", "--seed", seedFile, "--rate-limit", "50"],
      {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        void exited.then((code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
      });
      const readyMs = performance.now() - started;
      console.log(`CLI ready after ${readyMs.toFixed(0)} ms (node + tsx + sandbox)`);
      // Most of this is node and tsx booting; the sandbox itself is measured above.
      expect(readyMs).toBeLessThan(3000);
      expect(output).toContain("seeded 1 partner(s)");

      const response = await signedRequest(url, fixedKeys, "GET", "/v1/partner/campaigns/active");
      expect(response.status).toBe(200);
      expect(response.json.baseMultiplier).toBe(2);
      expect(response.headers["x-ratelimit-limit"]).toBe("50");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(output).toContain("Received SIGTERM");
  });
});

describe("reset and seeding", () => {
  // A function, so it reads seedFile once the file's beforeAll has written it.
  const sandbox = useSandbox({ options: () => ({ seedFile }) });

  it("serves seed-file partners with their fixed keys", async () => {
    const response = await signedRequest(
      sandbox.url,
      fixedKeys,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    expect(response.status).toBe(200);
    expect(response.json.tokensDistributed).toBe(20);
  });

  it("empties the state, faults and logs on reset, keeping nonprofits and seed partners", async () => {
    const partner = await createPartner(sandbox.url);
    await signedRequest(
      sandbox.url,
      partner,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    await control(sandbox.url, "POST", "faults", { latencyMs: 1, errorRate: 0.5 });
    expect(sandbox.state.actions.size).toBeGreaterThan(0);

    const response = await control(sandbox.url, "POST", "reset");
    expect(response.json).toEqual({ reset: true });

    expect(
      (await signedRequest(sandbox.url, partner, "GET", "/v1/partner/token-pools")).status,
    ).toBe(401);
    expect(sandbox.state.actions.size).toBe(0);
    expect(sandbox.state.partners.size).toBe(1);
    expect((await control(sandbox.url, "GET", "faults")).json).toMatchObject({
      latencyMs: 0,
      errorRate: 0,
    });
    expect((await control(sandbox.url, "GET", "requests")).json.requests).toHaveLength(1);

    const seeded = await signedRequest(
      sandbox.url,
      fixedKeys,
      "POST",
      "/v1/partner/actions/submit",
      purchase("order_1", 10),
    );
    expect(seeded.status).toBe(200);
    const organization = await widgetRequest(
      sandbox.url,
      fixedKeys.publicKey,
      "GET",
      "/v1/partner/organizations/feeding-america",
    );
    expect(organization.json.name).toBe("Feeding America");
  });

  it("keeps the sandbox.state reference valid across resets", () => {
    const { state } = sandbox;
    sandbox.reset();
    expect(sandbox.state).toBe(state);
    expect(state.organizations.size).toBe(4);
    expect(state.requestLog).toEqual([]);
  });

  it("rejects a partner spec with unknown scopes or duplicate keys", async () => {
    expect(
      (await control(sandbox.url, "POST", "partners", { scopes: ["actions:everything"] })).status,
    ).toBe(400);
    expect(
      (await control(sandbox.url, "POST", "partners", { secretKey: fixedKeys.secretKey })).status,
    ).toBe(400);
  });

  it("answers 404 outside the API and the control API", async () => {
    expect((await rawRequest(sandbox.url, { method: "GET", path: "/v2/anything" })).status).toBe(
      404,
    );
    expect((await control(sandbox.url, "GET", "nope")).status).toBe(404);
  });
});
