import { useState, type ButtonHTMLAttributes, type ReactNode } from "react";
import { InlineError, Spinner } from "./States";

type BusyButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean };

/** A button whose action is under way while `busy`: it shows a spinner and cannot be pressed again. */
export function BusyButton({ busy, disabled, type = "button", className = "btn-secondary", children, ...button }: BusyButtonProps) {
  return (
    <button type={type} className={className} disabled={busy || disabled} {...button}>
      {busy && <Spinner />} {children}
    </button>
  );
}

/** "Delete…", then the named deletion or "Keep it": nothing is deleted by a single click. */
export function ConfirmDelete({ label, busy, disabled, onDelete }: { label: string; busy: boolean; disabled?: boolean; onDelete: () => void }) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="btn-secondary" disabled={disabled} onClick={() => setConfirming(true)}>
        Delete…
      </button>
    );
  return (
    <>
      <BusyButton className="btn-danger" busy={busy} disabled={disabled} onClick={onDelete}>
        {label}
      </BusyButton>
      <button type="button" className="btn-secondary" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </>
  );
}

/** An action's button(s), then "Cancel", which leaves without doing it. */
export function WithCancel({ onCancel, className = "flex gap-2", children }: { onCancel: () => void; className?: string; children: ReactNode }) {
  return (
    <div className={className}>
      {children}
      <button type="button" className="btn-secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** A list card's actions: the first shows or hides its detail (made only when shown), `children` sit beside it. */
export function CardActions({ show, hide, detail, error, children }: { show: string; hide: string; detail: ReactNode; error: unknown; children: ReactNode }) {
  const [shown, setShown] = useState(false);
  return (
    <>
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn-secondary" aria-expanded={shown} onClick={() => setShown((v) => !v)}>
          {shown ? hide : show}
        </button>
        {children}
      </div>
      <InlineError error={error} />
      {shown && detail}
    </>
  );
}
