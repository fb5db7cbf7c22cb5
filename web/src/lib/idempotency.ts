import { useMutation } from "@tanstack/react-query";

/**
 * One Idempotency-Key per intent of the user. The key is made when the person starts an
 * intent (opens the pay form, selects bills for a batch) and kept in sessionStorage with the
 * draft, so a double click, a retry after an error or a page refresh sends the same key and
 * the API answers the first result again. Only a finished payment starts a new intent.
 */
export function newKey(): string {
  return crypto.randomUUID();
}

const PREFIX = "xb.intent.";

export function intentKey(intent: string): string {
  const stored = sessionStorage.getItem(PREFIX + intent);
  if (stored) return stored;
  const key = newKey();
  sessionStorage.setItem(PREFIX + intent, key);
  return key;
}

export function finishIntent(intent: string): void {
  sessionStorage.removeItem(PREFIX + intent);
}

export type IntentHeaders = { "Idempotency-Key": string };

/** A mutation that carries out one intent: every try sends the intent's key, a success finishes it. */
export function useIntentMutation<T>(
  intent: string,
  send: (headers: IntentHeaders) => Promise<T>,
  { onSuccess, onError }: { onSuccess?: (answer: T) => void; onError?: (error: Error) => void } = {},
) {
  return useMutation({
    mutationFn: () => send({ "Idempotency-Key": intentKey(intent) }),
    onSuccess: (answer) => {
      finishIntent(intent);
      onSuccess?.(answer);
    },
    onError,
  });
}
