import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "dockerfile-utils";
import { parse } from "yaml";
import { readWebToml } from "../helpers/web-toml";

// No Docker engine runs here: what can be checked without one is. The image's CMD is `npm
// start`'s command, which test/e2e/production-start.e2e.test.ts runs; the Dockerfile is linted;
// the compose file is parsed and its wiring checked; every variable the app reads is documented.
const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const START_SCRIPT = (JSON.parse(read("package.json")) as { scripts: Record<string, string> })
  .scripts.start;

type Instruction = { name: string; args: string; stage: string | null };

/** The Dockerfile's instructions, continuation lines joined, with the stage each belongs to. */
function dockerfile(): Instruction[] {
  const joined = read("Dockerfile")
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  let stage: string | null = null;
  const instructions: Instruction[] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, name, args] = match;
    if (name === "FROM") stage = / AS (\S+)/i.exec(args)?.[1] ?? null;
    instructions.push({ name, args: args.trim(), stage });
  }
  return instructions;
}

describe("Dockerfile", () => {
  const instructions = dockerfile();

  it("passes a Dockerfile linter (dockerfile-utils, the Docker language server's checks)", () => {
    expect(validate(read("Dockerfile")).map((problem) => problem.message)).toEqual([]);
    // The linter does find problems: the same checks on a broken file.
    expect(validate("FROM node:22\nEXPOSE abc\n").length).toBeGreaterThan(0);
  });
  const stages = instructions.filter((i) => i.name === "FROM").map((i) => i.stage);
  const final = stages.at(-1);
  const inFinal = instructions.filter((i) => i.stage === final);

  it("is multi-stage: dependencies with build tools, the build, production dependencies", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const run = (stage: string | null) =>
      instructions.filter((i) => i.stage === stage && i.name === "RUN").map((i) => i.args);
    expect(run(stages[0]).join(" ")).toMatch(/python3 make g\+\+/);
    expect(instructions.some((i) => i.name === "RUN" && i.args.includes("npm run build"))).toBe(
      true,
    );
    expect(instructions.some((i) => i.name === "RUN" && /npm ci --omit=dev/.test(i.args))).toBe(
      true,
    );
  });

  it("runs production dependencies only, with no build tools, as the node user", () => {
    expect(inFinal.filter((i) => i.name === "RUN").map((i) => i.args)).not.toContainEqual(
      expect.stringMatching(/apt-get|npm (ci|install)/),
    );
    const nodeModules = inFinal.find((i) => i.name === "COPY" && i.args.includes("node_modules"));
    expect(nodeModules?.args).toMatch(/--from=production-deps/);
    expect(inFinal.filter((i) => i.name === "USER").at(-1)?.args).toBe("node");
    expect(inFinal.find((i) => i.name === "ENV")?.args).toMatch(/NODE_ENV=production/);
  });

  it("checks its health on /healthz", () => {
    const healthcheck = inFinal.find((i) => i.name === "HEALTHCHECK");
    expect(healthcheck?.args).toMatch(/--interval=\d+s/);
    expect(healthcheck?.args).toContain("/healthz");
  });

  it("starts with exactly npm start's command, node as PID 1", () => {
    const cmd = inFinal.filter((i) => i.name === "CMD").at(-1);
    const argv = JSON.parse(cmd!.args) as string[];
    expect(argv.join(" ")).toBe(START_SCRIPT);
    expect(argv[0]).toBe("node");
  });

  it("leaves what is built or secret out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["node_modules", "build", ".env", "*.sqlite", ".git"]) {
      expect(ignored).toContain(entry);
    }
  });
});

type ComposeService = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
};
const compose = parse(read("docker-compose.yml"), { merge: true }) as {
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
  volumes: Record<string, unknown>;
};

describe("docker-compose.yml", () => {
  const { services } = compose;
  const apps = Object.entries(services).filter(
    ([, service]) => service.build !== undefined && service.command === undefined,
  );

  it("runs PostgreSQL 15 on a volume, with a health check", () => {
    const postgres = services.postgres;
    expect(postgres.image).toBe("postgres:15");
    expect(postgres.volumes).toContain("pgdata:/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty("pgdata");
    expect(postgres.healthcheck?.test.join(" ")).toMatch(/pg_isready/);
  });

  it("runs two app replicas on it, each after PostgreSQL is healthy and migrations are done", () => {
    expect(apps.map(([name]) => name)).toEqual(["app-1", "app-2"]);
    for (const [, app] of apps) {
      expect(app.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/sir:.*@postgres:5432\//);
      expect(app.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        migrate: { condition: "service_completed_successfully" },
      });
    }
    expect(services.migrate.command).toEqual(["node", "scripts/db.mjs", "migrate"]);
  });

  it("takes the secrets from the environment, required, never written in the file", () => {
    const env = services["app-1"].environment!;
    for (const name of [
      "ENCRYPTION_KEY",
      "SHOPIFY_API_KEY",
      "SHOPIFY_API_SECRET",
      "SHOPIFY_APP_URL",
    ]) {
      expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    }
    expect(env.DATABASE_URL).toContain("${POSTGRES_PASSWORD:?");
  });

  it("balances over the replicas that answer /readyz", () => {
    const caddyfile = compose.configs.caddyfile.content;
    expect(caddyfile).toMatch(/reverse_proxy app-1:3000 app-2:3000/);
    expect(caddyfile).toMatch(/health_uri \/readyz/);
    expect(Object.keys(services.lb.depends_on ?? {})).toEqual(["app-1", "app-2"]);
  });
});

describe("docs/production.md", () => {
  const guide = read("docs/production.md");
  // Every name config.server.ts reads, and every one the compose file sets.
  const configNames = [...read("app/config.server.ts").matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/g)]
    .map((match) => match[1])
    .filter((name) => !/^[A-Z]+_LEVELS?$/.test(name) && !name.startsWith("DEFAULT_"));
  const composeNames = Object.keys(compose.services["app-1"].environment ?? {});

  it("documents every environment variable", () => {
    const names = new Set([...configNames, ...composeNames, "ENCRYPTION_KEY", "PORT", "HOST"]);
    const missing = [...names].filter((name) => !guide.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("covers what the issue asks of it", () => {
    for (const heading of [
      /^## PostgreSQL/m,
      /^## Several instances/m,
      /^## Environment variables/m,
      /^## Graceful shutdown/m,
      /^## Backups/m,
      /^## Upgrades/m,
      /^## Monitoring and alerts/m,
    ]) {
      expect(guide).toMatch(heading);
    }
  });
});

describe("shopify.web.toml", () => {
  it("is the Remix template's, with commands that generate, migrate and start the dev server", () => {
    const web = readWebToml();
    expect(web.roles).toEqual(["frontend", "backend"]);
    expect(web.webhooks_path).toBe("/webhooks/app/uninstalled");
    expect(web.commands.predev).toBe("node scripts/db.mjs generate");
    expect(web.commands.dev).toBe("node scripts/db.mjs migrate && npm exec remix vite:dev");
  });
});
