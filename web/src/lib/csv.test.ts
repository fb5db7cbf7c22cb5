import { toCsv } from "./csv";

test("quotes what needs quoting and defuses spreadsheet formulas", () => {
  const csv = toCsv([{ a: 'say "hi", then', b: "=HYPERLINK(1)", c: "-12.50" }], [
    { header: "a", value: (r) => r.a },
    { header: "b", value: (r) => r.b },
    { header: "c", value: (r) => r.c },
  ]);
  expect(csv).toBe('a,b,c\r\n"say ""hi"", then",\'=HYPERLINK(1),-12.50\r\n');
});
