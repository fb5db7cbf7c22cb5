/** The local stack of `make dev`, started as a person starts it (python -m devstack). */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, "../..");
export const ARTIFACTS = resolve(HERE, "artifacts");
const STATE_FILE = join(ARTIFACTS, "stack.json");
const SERVICES = ["API", "AWS", "XERO", "OKTA", "OPENAI", "SOLARIS", "OKX", "GOCARDLESS", "SAFERPAY", "WEB"];
const START_TIMEOUT_MS = 300_000; // a first start may build the console (make web does it first)

export interface Stack {
  pid: number;
  urls: Record<string, string>;
  settings: Record<string, string>;
  stateDir: string;
  python: string;
}

export const python = () => process.env.DEVSTACK_PYTHON ?? join(ROOT, ".venv/bin/python");

export function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONPATH: `${join(ROOT, "shared")}:${ROOT}`, PYTHONUNBUFFERED: "1", ...extra };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Start the stack; free ports can be taken by someone else before it binds them: try again. */
export async function startStack(attempts = 3): Promise<Stack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce();
    } catch (error) {
      if (attempt >= attempts || !String(error).includes("in use")) throw error;
    }
  }
}

async function startOnce(): Promise<Stack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const stateDir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const ports: Record<string, string> = {};
  for (const name of SERVICES) ports[`DEV_${name}_PORT`] = String(await freePort());
  // The suite does a finance team's morning on one organisation in two minutes: past Xero's 60
  // calls a minute, in the simulator and in the product's budget alike. The limits have tests
  // of their own (tests/integration/records/test_rate_limits.py); here they would only decide
  // which page happens to land on a 429.
  const env = pythonEnv({ ...ports, DEVSTACK_STATE_DIR: stateDir, DEV_XERO_MINUTE_LIMIT: "600" });
  for (const name of ["XERO_CLIENT_ID", "OKTA_ISSUER", "OPENAI_BASE_URL", "AWS_ENDPOINT_URL"]) delete env[name];
  const child: ChildProcess = spawn(python(), ["-m", "devstack"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group: teardown stops all of it
    stdio: ["ignore", "pipe", openSync(join(stateDir, "devstack.stderr.log"), "w")],
  });
  const stack: Stack = { pid: child.pid!, urls: {}, settings: {}, stateDir, python: python() };
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the local stack did not start in time; see ${stateDir}`)), START_TIMEOUT_MS);
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === "ready") {
          clearTimeout(timer);
          done();
        } else if (line.startsWith("  ") && line.includes(": ")) {
          const [name, ...rest] = line.trim().split(": ");
          stack.settings[name!] = rest.join(": ");
        } else if (/^\w+: http/.test(line)) {
          const [name, url] = line.split(": ");
          stack.urls[name!] = url!;
        }
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      const log = readFileSync(join(stateDir, "devstack.stderr.log"), "utf8").slice(-2000);
      fail(new Error(`the local stack exited (${code}); see ${stateDir}/devstack.stderr.log:\n${log}`));
    });
  });
  child.stdout!.resume();
  child.unref();
  writeFileSync(STATE_FILE, JSON.stringify(stack, null, 2));
  return stack;
}

export function runningStack(): Stack {
  return JSON.parse(readFileSync(STATE_FILE, "utf8")) as Stack;
}

export function stopStack(stack: Stack): void {
  try {
    process.kill(-stack.pid, "SIGINT");
  } catch {
    /* already gone */
  }
}
