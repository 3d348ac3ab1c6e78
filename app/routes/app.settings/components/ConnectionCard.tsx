import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Collapsible,
  FormLayout,
  InlineStack,
  Link,
  Select,
  TextField,
} from "@shopify/polaris";
import type { SettingsAction } from "../route";
import { ConnectionOutcome } from "./ConnectionOutcome";

type Environment = "sandbox" | "production";

export type ConnectionCardProps = {
  connection: {
    environment: Environment;
    customApiUrl: string | null;
    publicKey: string;
    secretKeyHint: string;
    hmacSecretHint: string;
    defaultNonprofit: string | null;
    /** How rewards are sent when it is not the usual batches (SIR's bulk endpoint unavailable). */
    sendingNote?: string | null;
  } | null;
  hosts: Record<Environment, string>;
};

const ENVIRONMENTS = [
  { label: "Sandbox (test keys, no real tokens)", value: "sandbox" },
  { label: "Production (live keys)", value: "production" },
];

function storedSecretHelp(hint: string | undefined, what: string) {
  return hint
    ? `Saved ${what} ends in ${hint}. Leave blank to keep it.`
    : `Shown once by SIR when the key pair was created.`;
}

export function ConnectionCard({ connection, hosts }: ConnectionCardProps) {
  const fetcher = useFetcher<SettingsAction>();
  const [environment, setEnvironment] = useState<Environment>(connection?.environment ?? "sandbox");
  const [apiUrl, setApiUrl] = useState(connection?.customApiUrl ?? "");
  const [showAdvanced, setShowAdvanced] = useState(Boolean(connection?.customApiUrl));
  const [publicKey, setPublicKey] = useState(connection?.publicKey ?? "");
  const [secretKey, setSecretKey] = useState("");
  const [hmacSecret, setHmacSecret] = useState("");
  const [defaultNonprofit, setDefaultNonprofit] = useState(connection?.defaultNonprofit ?? "");

  const data = fetcher.data;
  const outcome =
    data && (data.intent === "test-connection" || data.intent === "save-connection") ? data : null;
  const errors = (outcome && !outcome.ok && "errors" in outcome ? outcome.errors : null) ?? {};
  const busyWith = fetcher.state === "idle" ? null : fetcher.formData?.get("intent");

  // Saved secrets are never sent back: clear the fields, the hints show what is stored.
  useEffect(() => {
    if (outcome?.intent === "save-connection" && outcome.ok) {
      setSecretKey("");
      setHmacSecret("");
    }
  }, [outcome]);

  const submit = (intent: "test-connection" | "save-connection") =>
    fetcher.submit(
      { intent, environment, apiUrl, publicKey, secretKey, hmacSecret, defaultNonprofit },
      { method: "post" },
    );

  return (
    <Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit("save-connection");
        }}
      >
        <BlockStack gap="400">
          <FormLayout>
            <Select
              label="Environment"
              name="environment"
              options={ENVIRONMENTS}
              value={environment}
              onChange={(value) => setEnvironment(value as Environment)}
              error={errors.environment}
            />
            <TextField
              label="Publishable key"
              name="publicKey"
              autoComplete="off"
              value={publicKey}
              onChange={setPublicKey}
              placeholder={environment === "sandbox" ? "pk_test_…" : "pk_live_…"}
              helpText="Public: the storefront widget uses it."
              error={errors.publicKey}
            />
            <TextField
              label="Secret key"
              name="secretKey"
              type="password"
              autoComplete="new-password"
              value={secretKey}
              onChange={setSecretKey}
              placeholder={connection ? connection.secretKeyHint : "sk_…"}
              helpText={storedSecretHelp(connection?.secretKeyHint, "secret key")}
              error={errors.secretKey}
            />
            <TextField
              label="HMAC secret"
              name="hmacSecret"
              type="password"
              autoComplete="new-password"
              value={hmacSecret}
              onChange={setHmacSecret}
              placeholder={connection ? connection.hmacSecretHint : undefined}
              helpText={storedSecretHelp(connection?.hmacSecretHint, "HMAC secret")}
              error={errors.hmacSecret}
            />
            <TextField
              label="Default nonprofit"
              name="defaultNonprofit"
              autoComplete="off"
              value={defaultNonprofit}
              onChange={setDefaultNonprofit}
              placeholder="american-red-cross"
              helpText="Optional. The nonprofit the storefront widget suggests, by its SIR name."
              error={errors.defaultNonprofit}
            />
            <BlockStack gap="200">
              <Link onClick={() => setShowAdvanced(!showAdvanced)} removeUnderline>
                {showAdvanced ? "Hide API address" : "Use a different API address"}
              </Link>
              <Collapsible id="sir-api-address" open={showAdvanced}>
                <TextField
                  label="SIR API address"
                  name="apiUrl"
                  type="url"
                  autoComplete="off"
                  value={apiUrl}
                  onChange={setApiUrl}
                  placeholder={hosts[environment]}
                  helpText={`Leave blank for SIR's ${environment} address, ${hosts[environment]}.`}
                  error={errors.apiUrl}
                />
              </Collapsible>
            </BlockStack>
          </FormLayout>
          <InlineStack gap="200" align="end">
            <Button
              onClick={() => submit("test-connection")}
              loading={busyWith === "test-connection"}
            >
              Test connection
            </Button>
            <Button variant="primary" submit loading={busyWith === "save-connection"}>
              Save connection
            </Button>
          </InlineStack>
          {connection?.sendingNote && (
            <Banner tone="info">
              <p>
                {connection.sendingNote} Every reward is still sent; the app tries bulk again
                hourly.
              </p>
            </Banner>
          )}
          {outcome && <ConnectionOutcome outcome={outcome} />}
          {!connection && !outcome && (
            <Banner tone="info">
              <p>
                Start with your Sandbox keys: test orders then earn test tokens, and nothing real is
                given away until you switch to Production.
              </p>
            </Banner>
          )}
        </BlockStack>
      </form>
    </Card>
  );
}
