// The app's own Vite config plus the fake Shopify authentication: the build
// the browser tests serve. Never used for the production build.
import { mergeConfig } from "vite";
import appConfig from "../../vite.config";
import { fakeShopifyAuthentication } from "./fake-shopify-plugin";

export default mergeConfig(appConfig, { plugins: [fakeShopifyAuthentication()] });
