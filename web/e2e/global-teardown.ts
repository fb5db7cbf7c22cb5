import { runningStack, stopStack } from "./stack";

export default async function globalTeardown() {
  stopStack(runningStack());
}
