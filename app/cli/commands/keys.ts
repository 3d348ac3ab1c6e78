import { parseOptions } from "../args";
import { CliFailure, type Command } from "../command";
import { rotateKeys, rotationSummary } from "../../services/rotate-keys.server";

export const keysRotate: Command = {
  name: "keys rotate",
  summary:
    "re-encrypt every stored secret (SIR keys, webhook secrets, Shopify tokens) with the current ENCRYPTION_KEY",
  options: {},
  notes: [
    "Set the new ENCRYPTION_KEY and the old one in ENCRYPTION_KEY_PREVIOUS on every server, restart",
    "them, run this, then remove ENCRYPTION_KEY_PREVIOUS. A second run changes nothing.",
  ],
  async run(args, { io, database }) {
    parseOptions(this, args);
    const result = await rotateKeys(database);
    io.out(rotationSummary(result));
    if (result.failures.length > 0) {
      throw new CliFailure(
        `${result.failures.length} stored secret(s) could not be opened with any key this server holds.`,
      );
    }
  },
};
