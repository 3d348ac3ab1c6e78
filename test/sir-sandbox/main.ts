/**
 * CLI entry for `npm run sandbox` (node --import tsx test/sir-sandbox/main.ts):
 *   --port 4010  --seed <file.json>  --rate-limit N (requests per key per 60 s)  --host 127.0.0.1
 * and behaviour switches (behaviour.ts; SIR doing the other plausible thing):
 *   --no-bulk  --bulk-response job  --error-body text|html|errors-array  --bad-signature-status 403
 *   --integer-reversal-percentage  --rate-limit-reset seconds-until|epoch-ms
 *   --donation-return-url ignored|no-param  --webhook-envelope alternate
 *   --behaviour <list> (the same as a comma-separated list, as SIR_SANDBOX_BEHAVIOUR takes it)
 */
import { parseArgs } from "node:util";
import { behaviourFromList } from "./behaviour";
import { DEFAULT_PORT, startSandbox } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: String(DEFAULT_PORT) },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string" },
    "rate-limit": { type: "string" },
    behaviour: { type: "string" },
    "no-bulk": { type: "boolean" },
    "bulk-response": { type: "string" },
    "error-body": { type: "string" },
    "bad-signature-status": { type: "string" },
    "integer-reversal-percentage": { type: "boolean" },
    "rate-limit-reset": { type: "string" },
    "donation-return-url": { type: "string" },
    "webhook-envelope": { type: "string" },
  },
});

const BEHAVIOUR_FLAGS = [
  "no-bulk",
  "bulk-response",
  "error-body",
  "bad-signature-status",
  "integer-reversal-percentage",
  "rate-limit-reset",
  "donation-return-url",
  "webhook-envelope",
] as const;
const behaviourItems = [
  ...(values.behaviour ? [values.behaviour] : []),
  ...BEHAVIOUR_FLAGS.flatMap((flag) => {
    const value = values[flag];
    if (value === undefined || value === false) return [];
    return [value === true ? flag : `${flag}=${value}`];
  }),
];
let behaviour;
try {
  behaviour = behaviourFromList(behaviourItems.join(","));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
const rateLimitText = values["rate-limit"];
if (rateLimitText !== undefined && !/^[1-9]\d*$/.test(rateLimitText)) {
  console.error(`--rate-limit must be a positive integer, got ${rateLimitText}`);
  process.exit(2);
}

const sandbox = await startSandbox({
  port,
  host: values.host,
  seedFile: values.seed,
  rateLimit: rateLimitText ? { limit: Number(rateLimitText), windowSeconds: 60 } : undefined,
  behaviour,
});
// One write, so a process reading our stdout sees the whole banner at once.
console.log(
  [
    `SIR Giving sandbox listening on ${sandbox.url}`,
    `  partner API ${sandbox.url}/v1/partner/  control API ${sandbox.url}/__sandbox/`,
    ...(behaviourItems.length > 0 ? [`  behaviour: ${behaviourItems.join(",")}`] : []),
    ...(values.seed
      ? [`  seeded ${sandbox.state.partners.size} partner(s) from ${values.seed}`]
      : []),
  ].join("\n"),
);

const shutdown = async (signal: string) => {
  console.log(`Received ${signal}, stopping the sandbox`);
  await sandbox.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
