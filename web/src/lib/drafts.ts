import { useCallback, useEffect, useState } from "react";

/**
 * A form's state kept in sessionStorage: when a refused session sends the person to sign in
 * and back, what they had typed is still there.
 */
export function useDraft<T>(key: string, initial: T): [T, (value: T | ((old: T) => T)) => void, () => void] {
  const storageKey = `xb.draft.${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(storageKey);
      return stored ? ({ ...initial, ...JSON.parse(stored) } as T) : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    sessionStorage.setItem(storageKey, JSON.stringify(value));
  }, [storageKey, value]);
  const clear = useCallback(() => sessionStorage.removeItem(storageKey), [storageKey]);
  return [value, setValue, clear];
}
