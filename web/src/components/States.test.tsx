import { render, screen } from "@testing-library/react";
import { ApiError } from "../api/client";
import { ErrorState, errorMessage, RecordStates } from "./States";

test("an error shows the API's message and never a stack trace", () => {
  render(<ErrorState error={new ApiError("You have no access to this organisation", 403)} />);
  expect(screen.getByRole("alert")).toHaveTextContent("You have no access to this organisation");
  const crash = new Error("boom\n    at Object.<anonymous> (app.js:1:1)");
  expect(errorMessage(crash)).toBe("Something went wrong. Try again.");
  expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/could not be reached/);
});

test("one record's read: loading, failed, none yet, then the record", () => {
  const states = (query: { isLoading: boolean; error: unknown; data?: { name: string } | null }) => (
    <RecordStates query={{ ...query, refetch: () => undefined }} name="mandate" none={<p>None yet</p>}>
      {(found) => <p>Found {found.name}</p>}
    </RecordStates>
  );
  const { rerender } = render(states({ isLoading: true, error: null }));
  expect(screen.getByRole("status")).toHaveTextContent("Loading the mandate…");
  rerender(states({ isLoading: false, error: new ApiError("Xero is down", 503) }));
  expect(screen.getByRole("alert")).toHaveTextContent("The mandate could not be loaded");
  rerender(states({ isLoading: false, error: null, data: null }));
  expect(screen.getByText("None yet")).toBeInTheDocument();
  rerender(states({ isLoading: false, error: null, data: { name: "MD-1" } }));
  expect(screen.getByText("Found MD-1")).toBeInTheDocument();
});
