import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | null;
}

export function TextField({ label, hint, error, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint || error ? `${id}-hint` : undefined}
        className="input"
        {...input}
      />
      {(hint || error) && (
        <p id={`${id}-hint`} className={`text-xs ${error ? "text-red-700" : "text-slate-600"}`}>
          {error || hint}
        </p>
      )}
    </div>
  );
}

export function SelectField({ label, hint, error, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <select id={id} aria-describedby={hint || error ? `${id}-hint` : undefined} className="input" {...select}>
        {children}
      </select>
      {(hint || error) && (
        <p id={`${id}-hint`} className={`text-xs ${error ? "text-red-700" : "text-slate-600"}`}>
          {error || hint}
        </p>
      )}
    </div>
  );
}
