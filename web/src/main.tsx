import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { createOktaAuth } from "./auth/okta";
import { loadConfig } from "./config";
import "./index.css";

const root = createRoot(document.getElementById("root")!);

loadConfig()
  .then((config) => {
    root.render(
      <StrictMode>
        <App oktaAuth={createOktaAuth(config)} config={config} />
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(
      <main className="mx-auto max-w-lg p-8" role="alert">
        <h1 className="text-xl font-bold">The console could not start</h1>
        <p className="mt-2">{error instanceof Error ? error.message : "config.json is missing or invalid."}</p>
      </main>,
    );
  });
