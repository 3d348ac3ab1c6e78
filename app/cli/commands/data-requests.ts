import { parseOptions, shopArg } from "../args";
import type { Command } from "../command";
import { SHOP_OPTION } from "./options";

export const dataRequestsList: Command = {
  name: "data-requests list",
  summary: "customers' data requests (customers/data_request) and what was found, as JSON",
  options: { shop: SHOP_OPTION },
  async run(args, { io, database }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const requests = await database.customerDataRequest.findMany({
      where: { shopDomain },
      orderBy: { createdAt: "asc" },
    });
    io.out(
      JSON.stringify(
        requests.map((request) => ({ ...request, data: JSON.parse(request.data) as unknown })),
        null,
        2,
      ),
    );
  },
};
