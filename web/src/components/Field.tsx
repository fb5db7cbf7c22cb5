import { useId, type FormHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from "react";
import { BusyButton, WithCancel } from "./Buttons";
import { InlineError } from "./States";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | null;
}

/** The label above a control and the hint (or the error) below it, tied to the control by id. */
function Labelled({ id, label, hint, error, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {(hint || error) && (
        <p id={`${id}-hint`} className={`text-xs ${error ? "text-red-700" : "text-slate-600"}`}>
          {error || hint}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, hint, error, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint || error ? `${id}-hint` : undefined}
        className="input"
        {...input}
      />
    </Labelled>
  );
}

export function SelectField({ label, hint, error, children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <select id={id} aria-describedby={hint || error ? `${id}-hint` : undefined} className="input" {...select}>
        {children}
      </select>
    </Labelled>
  );
}

/** The mutation a form sends; `mutate()` takes no variables, the form's state is in its closure. */
export interface Sendable {
  isPending: boolean;
  mutate: () => void;
}

/** A form that sends its mutation when `ready`, never twice at once, without reloading the page. */
export function MutationForm({ mutation, ready = true, children, ...form }: { mutation: Sendable; ready?: boolean } & Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit">) {
  return (
    <form
      {...form}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !mutation.isPending) mutation.mutate();
      }}
    >
      {children}
    </form>
  );
}

type TextKeys<F> = { [K in keyof F]: string extends F[K] ? K : never }[keyof F];

/**
 * Ties fields to the text values of a form's state (useState or useDraft):
 * `const field = bindFields(form, setForm)`, then `<TextField {...field("url")} />`.
 */
export function bindFields<F>(form: F, setForm: (update: (old: F) => F) => void) {
  return (name: TextKeys<F>) => ({
    value: form[name] as string,
    onChange: (e: { target: { value: string } }) => setForm((old) => ({ ...old, [name]: e.target.value })),
  });
}

/** The foot of a form: what the API refused, then the submit button (and "Cancel" when it can be left). */
export function FormFoot({ mutation, ready = true, onCancel, children }: { mutation: { error: unknown; isPending: boolean }; ready?: boolean; onCancel?: () => void; children: ReactNode }) {
  const submit = (
    <BusyButton type="submit" className="btn-primary" busy={mutation.isPending} disabled={!ready}>
      {children}
    </BusyButton>
  );
  return (
    <>
      <InlineError error={mutation.error} />
      {onCancel ? <WithCancel onCancel={onCancel}>{submit}</WithCancel> : <div>{submit}</div>}
    </>
  );
}

/** A MutationForm that ends in its FormFoot, both with the same `mutation` and `ready`: `submit` labels the button. */
export function SubmitForm({ mutation, ready = true, submit, onCancel, children, ...form }: { mutation: Sendable & { error: unknown }; ready?: boolean; submit: ReactNode; onCancel?: () => void } & Omit<FormHTMLAttributes<HTMLFormElement>, "onSubmit">) {
  return (
    <MutationForm mutation={mutation} ready={ready} {...form}>
      {children}
      <FormFoot mutation={mutation} ready={ready} onCancel={onCancel}>
        {submit}
      </FormFoot>
    </MutationForm>
  );
}
