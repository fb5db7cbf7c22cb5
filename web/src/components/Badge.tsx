const TONES: Record<string, string> = {
  green: "bg-green-100 text-green-900",
  amber: "bg-amber-100 text-amber-900",
  red: "bg-red-100 text-red-900",
  blue: "bg-blue-100 text-blue-900",
  slate: "bg-slate-100 text-slate-800",
};

const STATUS_TONES: Record<string, keyof typeof TONES> = {
  active: "green",
  recorded: "green",
  settled: "green",
  paid: "green",
  authorised: "blue",
  approved: "blue",
  submitted: "blue",
  executing: "blue",
  pending_approval: "amber",
  awaiting_confirmation: "amber",
  needs_reconnect: "red",
  draft: "slate",
  submitted_for_approval: "amber",
  rejected: "red",
  failed: "red",
  voided: "slate",
  deleted: "slate",
  cancelled: "slate",
  reversed: "slate",
  overdue: "red",
  open: "blue",
  pending: "amber",
  expired: "slate",
  awaiting_authorisation: "amber",
  pending_submission: "amber",
  confirmed: "green",
  paid_out: "green",
  charged_back: "red",
  superseded: "slate",
  ok: "green",
  attention: "amber",
  blocked: "red",
  stopped: "slate",
  delivered: "green",
  retrying: "amber",
  failing: "red",
  copied: "green",
  updated: "blue",
  skipped: "slate",
  waiting: "amber",
  parked: "red",
};

export function statusLabel(status: string): string {
  const text = status.replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function Badge({ status, label }: { status: string; label?: string }) {
  const tone = TONES[STATUS_TONES[status.toLowerCase()] ?? "slate"];
  return <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${tone}`}>{label ?? statusLabel(status)}</span>;
}
