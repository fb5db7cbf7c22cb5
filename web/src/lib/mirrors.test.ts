import { ApiError } from "../api/client";
import { rowProblems, serverProblems, toMap } from "./mirrors";

const rows = (...pairs: [string, string][]) => pairs.map(([source, target], i) => ({ id: i + 1, source, target }));

test("blank rows are left out of the map; codes are trimmed", () => {
  expect(toMap(rows([" 200 ", "260"], ["", ""], ["429", " 400"]))).toEqual({ "200": "260", "429": "400" });
});

test("while typing, a side not filled in yet is no problem; a duplicate is, whatever its case", () => {
  const typed = rows(["abc", ""], ["ABC", "260"]);
  expect(rowProblems("account_map", typed, { complete: false })).toEqual({ 2: { source: "ABC is already mapped in row 1: an account maps to one target only" } });
  expect(rowProblems("account_map", typed)[1]).toEqual({ target: "Enter what abc becomes in the target" });
  expect(rowProblems("tax_map", rows(["GST.15", "OUTPUT"]))[1]!.source).toMatch(/^Not a tax type/);
  expect(rowProblems("account_map", rows(["12345678901", "200"]))[1]!.source).toMatch(/^Not an account code/);
});

test("the API's details go to their field, the row of their source code, or the rest", () => {
  const error = new ApiError("the request is not valid", 400, "bad_request", [
    { field: "account_map.4.1.[key]", problem: "String should match pattern" },
    { field: "tax_map.OUTPUT2", problem: "the target has no tax type GST" },
    { field: "tax_map", problem: "Dictionary should have at most 200 items" },
    { field: "statuses.1", problem: "Input should be 'DRAFT', 'SUBMITTED', 'AUTHORISED' or 'PAID'" },
    { field: "flip", problem: "Extra inputs are not permitted" },
    { field: null, problem: "Field required" },
  ]);
  expect(serverProblems(error)).toEqual({
    fields: { tax_map: "Dictionary should have at most 200 items", statuses: "Input should be 'DRAFT', 'SUBMITTED', 'AUTHORISED' or 'PAID'" },
    rows: { account_map: { "4.1": "String should match pattern" }, tax_map: { OUTPUT2: "the target has no tax type GST" } },
    other: ["flip: Extra inputs are not permitted", "Field required"],
  });
  expect(serverProblems(new Error("offline")).other).toEqual([]);
});
