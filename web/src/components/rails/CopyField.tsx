import { useId, useState } from "react";

/** A read-only value (a payment link) with a Copy button; the result is announced. */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("no"); // e.g. no clipboard permission: the field can still be selected
    }
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex gap-2">
        <input id={id} readOnly className="input min-w-0 flex-1 font-mono text-xs" value={value} onFocus={(e) => e.target.select()} />
        <button type="button" className="btn-secondary shrink-0" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className="text-xs text-slate-600">
        {copied === "yes" ? "Copied to the clipboard." : copied === "no" ? "The clipboard is not available: select the link and copy it." : ""}
      </p>
    </div>
  );
}
