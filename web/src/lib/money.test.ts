import { compareAmounts, formatMoney, parseAmountInput, sum } from "./money";

test("sums decimal strings exactly (no binary float)", () => {
  expect(sum(["0.10", "0.20"]).toFixed(2)).toBe("0.30");
  expect(sum(["1234567890123.45", "0.01"]).toFixed(2)).toBe("1234567890123.46");
});

test("formats with grouping, two decimals and the currency", () => {
  expect(formatMoney("12500", "EUR")).toBe("EUR 12,500.00");
  expect(formatMoney("-0.5")).toBe("-0.50");
  expect(formatMoney(null, "NZD")).toBe("NZD 0.00");
});

test("reads what a person types as a canonical amount, or refuses it", () => {
  expect(parseAmountInput("1,250.5")).toBe("1250.50");
  expect(parseAmountInput(" 10 ")).toBe("10.00");
  for (const bad of ["0", "-5", "1.234", "1e3", "abc", ""]) expect(parseAmountInput(bad)).toBeNull();
});

test("compares amounts as decimals", () => {
  expect(compareAmounts("10.10", "10.1")).toBe(0);
  expect(compareAmounts("9.99", "10")).toBe(-1);
});
