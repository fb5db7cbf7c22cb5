/** The dashboard's charts (recharts), loaded lazily; each has a table for screen readers. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { BUCKETS, type Aging, type Bucket, type MonthFlow } from "../lib/aging";

const SHORT: Record<Bucket, string> = { "Not yet due": "Current", "1–30 days": "1–30", "31–60 days": "31–60", "61–90 days": "61–90", "Over 90 days": "90+" };
import { monthLabel } from "../lib/dates";
import { chartValue, formatMoney } from "../lib/money";

const compact = (value: number) => new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 }).format(value);

export function AgingChart({ aging, color, label }: { aging: Aging; color: string; label: string }) {
  const data = BUCKETS.map((bucket) => ({ bucket, short: SHORT[bucket], amount: chartValue(aging.buckets[bucket]), text: formatMoney(aging.buckets[bucket], aging.currency) }));
  return (
    <>
      <div className="h-56" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 4 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="short" tick={{ fontSize: 11 }} interval={0} label={{ value: "days overdue", position: "insideBottom", offset: 0, fontSize: 11 }} height={40} />
            <YAxis tickFormatter={compact} tick={{ fontSize: 11 }} width={44} />
            <Tooltip formatter={(_value, _name, item) => [(item.payload as { text: string }).text, "Due"]} />
            <Bar dataKey="amount" fill={color} radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>{label} by days overdue</caption>
        <tbody>
          {data.map((row) => (
            <tr key={row.bucket}><th scope="row">{row.bucket}</th><td>{row.text}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function FlowChart({ flows, currency }: { flows: MonthFlow[]; currency: string }) {
  if (flows.every((f) => f.moneyIn.eq(0) && f.moneyOut.eq(0)))
    return <p className="py-8 text-center text-sm text-slate-600">No invoice or bill in {currency} was fully paid in these months.</p>;
  const data = flows.map((f) => ({ month: monthLabel(f.month), moneyIn: chartValue(f.moneyIn), moneyOut: chartValue(f.moneyOut), inText: formatMoney(f.moneyIn, currency), outText: formatMoney(f.moneyOut, currency) }));
  return (
    <>
      <div className="h-64" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="month" tick={{ fontSize: 11 }} />
            <YAxis tickFormatter={compact} tick={{ fontSize: 11 }} width={44} />
            <Tooltip formatter={(_value, name, item) => [name === "Money in" ? (item.payload as { inText: string }).inText : (item.payload as { outText: string }).outText, name]} />
            <Legend />
            <Bar name="Money in" dataKey="moneyIn" fill="#15803d" radius={[4, 4, 0, 0]} isAnimationActive={false} />
            <Bar name="Money out" dataKey="moneyOut" fill="#b91c1c" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="sr-only">
        <caption>Money in and out by month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">In</th><th scope="col">Out</th></tr></thead>
        <tbody>
          {data.map((row) => (
            <tr key={row.month}><th scope="row">{row.month}</th><td>{row.inText}</td><td>{row.outText}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
