import { useId, useState, type ReactNode } from "react";
import { MAP_RULES, newRow, type MapKind, type MapRow, type RowProblems } from "../../lib/mirrors";

/** A code one organisation offers, with words to recognise it by (an account's name). */
export interface Choice {
  value: string;
  label: string;
}

interface Side {
  /** The organisation's name, for the column and each input's label. */
  name: string;
  choices: Choice[];
  /** Codes the organisation is known to have: another is flagged (not refused: the API decides). */
  known?: Set<string>;
  /** What a code is called there (an account's name), shown under the code typed. */
  names?: Map<string, string>;
}

interface MapRowsProps {
  kind: MapKind;
  legend: string;
  hint: ReactNode;
  rows: MapRow[];
  onChange: (rows: MapRow[]) => void;
  source: Side;
  target: Side;
  problems: RowProblems;
  /** The API's problems, by the source code of the row they are about. */
  refused: Record<string, string>;
  /** The API's problem with the map as a whole. */
  error?: string;
}

const NOUN: Record<MapKind, { label: string; add: string }> = {
  account_map: { label: "Account code", add: "Add an account code" },
  tax_map: { label: "Tax type", add: "Add a tax type" },
};

/** Editable rows of a map (source code → target code), with each organisation's codes offered. */
export function MapRows({ kind, legend, hint, rows, onChange, source, target, problems, refused, error }: MapRowsProps) {
  const id = useId();
  const [focus, setFocus] = useState<number | null>(null);
  const { label, add } = NOUN[kind];
  const set = (row: MapRow, side: "source" | "target", value: string) => onChange(rows.map((r) => (r.id === row.id ? { ...r, [side]: value } : r)));
  const addRow = () => {
    const row = newRow();
    setFocus(row.id);
    onChange([...rows, row]);
  };
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={`${id}-hint`}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <p id={`${id}-hint`} className="text-xs text-slate-600">{hint}</p>
      {rows.length > 0 && (
        <div aria-hidden="true" className="grid grid-cols-[minmax(0,1fr)_1rem_minmax(0,1fr)_2.25rem] gap-2 text-xs font-semibold text-slate-600">
          <span>In {source.name}</span>
          <span />
          <span>Becomes in {target.name}</span>
          <span />
        </div>
      )}
      {rows.map((row, index) => (
        <Row
          key={row.id}
          id={`${id}-${row.id}`}
          row={row}
          label={(side) => `${label} in ${side === "source" ? source.name : target.name}, row ${index + 1}`}
          removeLabel={`Remove ${label.toLowerCase()} row ${index + 1}${row.source.trim() ? ` (${row.source.trim()})` : ""}`}
          lists={{ source: `${id}-source`, target: `${id}-target` }}
          names={{ source: source.names?.get(row.source.trim()), target: target.names?.get(row.target.trim()) }}
          maxLength={MAP_RULES[kind].maxLength}
          autoFocus={focus === row.id}
          onSet={(side, value) => set(row, side, value)}
          onRemove={() => onChange(rows.filter((r) => r.id !== row.id))}
          notes={notes(problems[row.id], refused[row.source.trim()], unknown(target, row.target))}
        />
      ))}
      {error && <p className="text-xs text-red-700">{error}</p>}
      <button type="button" className="btn-secondary self-start" onClick={addRow}>
        + {add}
      </button>
      <Choices id={`${id}-source`} choices={source.choices} />
      <Choices id={`${id}-target`} choices={target.choices} />
    </fieldset>
  );
}

type Note = { text: string; warn?: boolean };
type Notes = { source?: Note; target?: Note };

/** Our own problems first, then the API's, then a warning that the target may lack the code. */
function notes(own: RowProblems[number] | undefined, refused: string | undefined, warning: string | undefined): Notes {
  const source = own?.source ?? refused;
  const target = own?.target;
  return {
    source: source ? { text: source } : undefined,
    target: target ? { text: target } : warning ? { text: warning, warn: true } : undefined,
  };
}

function unknown(side: Side, code: string): string | undefined {
  const value = code.trim();
  if (!value || !side.known?.size || side.known.has(value)) return undefined;
  return `${side.name} has no active account ${value}: the mirror will be refused unless it has one`;
}

interface RowProps {
  id: string;
  row: MapRow;
  label: (side: "source" | "target") => string;
  removeLabel: string;
  lists: { source: string; target: string };
  names: { source?: string; target?: string };
  maxLength: number;
  autoFocus: boolean;
  onSet: (side: "source" | "target", value: string) => void;
  onRemove: () => void;
  notes: Notes;
}

function Row({ id, row, label, removeLabel, lists, names, maxLength, autoFocus, onSet, onRemove, notes }: RowProps) {
  const input = (side: "source" | "target") => (
    <div className="flex min-w-0 flex-col">
      <input
      className="input font-mono"
      aria-label={label(side)}
      list={lists[side]}
      maxLength={maxLength}
      autoComplete="off"
      spellCheck={false}
      autoFocus={side === "source" && autoFocus}
      value={row[side]}
      aria-invalid={notes[side] && !notes[side].warn ? true : undefined}
      aria-describedby={notes[side] ? `${id}-${side}` : undefined}
      onChange={(e) => onSet(side, e.target.value)}
      />
      {names[side] && <span className="truncate text-xs text-slate-600">{names[side]}</span>}
    </div>
  );
  return (
    <div className="grid grid-cols-[minmax(0,1fr)_1rem_minmax(0,1fr)_2.25rem] items-start gap-2">
      {input("source")}
      <span aria-hidden="true" className="pt-2 text-center text-slate-500">→</span>
      {input("target")}
      <button type="button" className="btn-secondary h-9 w-9 !px-0" aria-label={removeLabel} title="Remove this row" onClick={onRemove}>
        ✕
      </button>
      {(["source", "target"] as const).map((side) => {
        const note = notes[side];
        if (!note) return null;
        const place = side === "source" ? "sm:col-span-2" : "sm:col-span-2 sm:col-start-3";
        return (
          <p key={side} id={`${id}-${side}`} className={`col-span-4 text-xs ${place} ${note.warn ? "text-amber-800" : "text-red-700"}`}>
            {note.text}
          </p>
        );
      })}
    </div>
  );
}

function Choices({ id, choices }: { id: string; choices: Choice[] }) {
  return (
    <datalist id={id}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>{c.label}</option>
      ))}
    </datalist>
  );
}
