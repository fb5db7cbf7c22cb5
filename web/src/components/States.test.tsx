import { render, screen } from "@testing-library/react";
import { ApiError } from "../api/client";
import { ErrorState, errorMessage } from "./States";

test("an error shows the API's message and never a stack trace", () => {
  render(<ErrorState error={new ApiError("You have no access to this organisation", 403)} />);
  expect(screen.getByRole("alert")).toHaveTextContent("You have no access to this organisation");
  const crash = new Error("boom\n    at Object.<anonymous> (app.js:1:1)");
  expect(errorMessage(crash)).toBe("Something went wrong. Try again.");
  expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/could not be reached/);
});
