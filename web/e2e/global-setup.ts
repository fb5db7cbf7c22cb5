import { startStack } from "./stack";

export default async function globalSetup() {
  const started = Date.now();
  const stack = await startStack();
  if (!stack.urls.web) throw new Error("the local stack serves no console (web:); see web-build.log in its logs");
  console.log(`local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s; console at ${stack.urls.web}`);
}
