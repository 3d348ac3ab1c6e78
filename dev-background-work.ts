// The app's background work under `shopify app dev` (`remix vite:dev`): the webhook worker and,
// on SQLite, the writer thread, started as server.mjs starts them in production, once per
// process. Vite reloads the app's modules on every edit, so nothing starts from a module's
// top level: this plugin starts the work when the dev server listens and stops it when that
// server closes (Vite restarts it in-process after a config change), one after the other. The
// threads run their own bundles, built here into .cache/ (as `remix vite:build` builds them
// beside Remix's); when a file of those bundles changes, the work is stopped, the bundles built
// again and the work started again, so there is still one worker and it runs the new code.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Plugin, ViteDevServer } from "vite";

type BackgroundWork = { stop(): Promise<unknown> };
type EntryModule = {
  startBackgroundWork(options: {
    workerThreadEntry: string;
    sqliteWriterEntry: string;
  }): Promise<BackgroundWork>;
};

// On globalThis: one chain of starts and stops per process, whatever Vite re-evaluates.
const RUNNING = Symbol.for("sir-rewards.dev-background-work");
type Running = {
  work: BackgroundWork | null;
  threadsDir: string | null;
  /** The source files of the threads' bundles. */
  sources: ReadonlySet<string>;
};
type DevGlobal = { [RUNNING]?: Promise<Running> };
const scope = globalThis as DevGlobal;
const idle: Running = { work: null, threadsDir: null, sources: new Set() };
type BuildThreads = (directory: string) => Promise<unknown>;

/** The files the bundles were built from (Rollup's output lists each chunk's modules). */
function sourcesOf(output: unknown, root: string): Set<string> {
  const outputs = Array.isArray(output) ? output : [output];
  const files = new Set<string>();
  for (const { output: chunks } of outputs as Array<{ output?: Array<{ moduleIds?: string[] }> }>) {
    for (const chunk of chunks ?? []) {
      for (const id of chunk.moduleIds ?? []) if (id.startsWith(root)) files.add(id);
    }
  }
  return files;
}

function then(step: (running: Running) => Promise<Running>) {
  scope[RUNNING] = (scope[RUNNING] ?? Promise.resolve(idle)).then(step, () => step(idle));
  return scope[RUNNING];
}

// The Shopify CLI ends the dev server with SIGTERM to the whole process tree, which leaves no
// time to clean up: a later start removes the bundles of dev servers that are gone.
function removeThreadsOfGoneProcesses(cache: string) {
  for (const name of readdirSync(cache)) {
    const pid = Number(/^dev-threads-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(cache, name), { recursive: true, force: true });
    }
  }
}

async function start(server: ViteDevServer, buildThreads: BuildThreads): Promise<Running> {
  const log = server.config.logger;
  const root = server.config.root;
  const cache = join(root, ".cache");
  mkdirSync(cache, { recursive: true });
  removeThreadsOfGoneProcesses(cache);
  const threadsDir = join(cache, `dev-threads-${process.pid}`);
  try {
    const sources = sourcesOf(await buildThreads(threadsDir), root);
    const entry = (await server.ssrLoadModule("/app/entry.server.tsx")) as EntryModule;
    const work = await entry.startBackgroundWork({
      workerThreadEntry: join(threadsDir, "background", "index.js"),
      sqliteWriterEntry: join(threadsDir, "background", "sqlite-writer.js"),
    });
    log.info(JSON.stringify({ level: "info", msg: "worker started", under: "vite dev server" }));
    return { work, threadsDir, sources };
  } catch (error) {
    rmSync(threadsDir, { recursive: true, force: true });
    log.error(
      `The background work (webhook worker) did not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return idle;
  }
}

async function stop(running: Running, server: ViteDevServer): Promise<Running> {
  if (!running.work) return idle;
  await running.work.stop();
  if (running.threadsDir) rmSync(running.threadsDir, { recursive: true, force: true });
  server.config.logger.info(JSON.stringify({ level: "info", msg: "worker stopped" }));
  return idle;
}

export function backgroundWorkInDev(buildThreads: BuildThreads): Plugin {
  return {
    name: "sir-rewards:background-work-in-dev",
    apply: "serve",
    configureServer(server) {
      const httpServer = server.httpServer;
      // Middleware mode (a dev server embedded elsewhere): its host runs the work.
      if (!httpServer) return;
      httpServer.once("listening", () => {
        void then((running) =>
          running.work ? Promise.resolve(running) : start(server, buildThreads),
        );
      });
      httpServer.once("close", () => {
        void then((running) => stop(running, server));
      });
      // An edit to the worker's code: the same one worker, on the new code (after a burst of
      // saves settles).
      let restartTimer: NodeJS.Timeout | undefined;
      server.watcher.on("change", (file) => {
        void scope[RUNNING]?.then((running) => {
          if (!running.sources.has(file)) return;
          clearTimeout(restartTimer);
          restartTimer = setTimeout(() => {
            server.config.logger.info(
              JSON.stringify({ level: "info", msg: "worker code changed; restarting", file }),
            );
            void then((current) => stop(current, server)).then(() =>
              then((current) =>
                current.work ? Promise.resolve(current) : start(server, buildThreads),
              ),
            );
          }, 200);
        });
      });
    },
  };
}
