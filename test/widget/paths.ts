import { fileURLToPath } from "node:url";

export const REPO_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const EXTENSION_DIR = fileURLToPath(
  new URL("../../extensions/sir-donate/", import.meta.url),
);
export const WIDGET_JS = `${EXTENSION_DIR}assets/sir-donate.js`;
export const WIDGET_CSS = `${EXTENSION_DIR}assets/sir-donate.css`;
export const ARTIFACTS_DIR = `${REPO_DIR}test-results/widget/`;
