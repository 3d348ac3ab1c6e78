/** The sandbox tests' shared setup: one sandbox per file (or describe block), with a partner. */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startSandbox, type Sandbox, type SandboxOptions, type SandboxState } from "./server";
import { createPartner, type PartnerCredentials } from "./test-client";

type Lazy<T> = T | (() => T | Promise<T>);

const evaluate = <T>(value: Lazy<T>): T | Promise<T> =>
  typeof value === "function" ? (value as () => T | Promise<T>)() : value;

/** What the tests read; valid inside tests and hooks, once the sandbox has started. */
export interface SandboxFixture {
  readonly url: string;
  readonly state: SandboxState;
  reset(): void;
}

export interface SandboxPartnerFixture extends SandboxFixture {
  readonly partner: PartnerCredentials;
}

/**
 * Starts a sandbox before all tests of the enclosing file or describe block and closes it after
 * them. `options` go to startSandbox (port 0 unless given); a function is called at start, so it
 * can read what earlier hooks prepared. `resetEach` resets the sandbox before every test.
 */
export function useSandbox({
  options = {},
  resetEach = false,
}: { options?: Lazy<SandboxOptions>; resetEach?: boolean } = {}): SandboxFixture {
  let sandbox: Sandbox | undefined;
  const started = () => {
    if (!sandbox) throw new Error("the sandbox is only available inside tests and hooks");
    return sandbox;
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, ...(await evaluate(options)) });
  });
  afterAll(() => sandbox?.close());
  if (resetEach) beforeEach(() => started().reset());

  return {
    get url() {
      return started().url;
    },
    get state() {
      return started().state;
    },
    reset: () => started().reset(),
  };
}

/**
 * useSandbox with a partner created through the control API from `partner` (a spec, or a function
 * returning one, called each time the partner is created). `per: "test"` (the default) resets the
 * sandbox and creates a new partner before every test; `per: "file"` creates one, once, at start.
 */
export function useSandboxPartner({
  options,
  partner: spec = {},
  per = "test",
}: {
  options?: Lazy<SandboxOptions>;
  partner?: Lazy<Record<string, unknown>>;
  per?: "test" | "file";
} = {}): SandboxPartnerFixture {
  const sandbox = useSandbox({ options, resetEach: per === "test" });
  let partner: PartnerCredentials | undefined;
  const create = async () => {
    partner = await createPartner(sandbox.url, await evaluate(spec));
  };
  if (per === "test") beforeEach(create);
  else beforeAll(create);

  return {
    get url() {
      return sandbox.url;
    },
    get state() {
      return sandbox.state;
    },
    reset: () => sandbox.reset(),
    get partner() {
      if (!partner) throw new Error("the partner is only available inside tests and hooks");
      return partner;
    },
  };
}
