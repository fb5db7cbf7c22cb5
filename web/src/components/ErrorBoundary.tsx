import { Component, type ErrorInfo, type ReactNode } from "react";
import { ErrorState } from "./States";

/** A page that fails to render says so (in words, never a stack) instead of going blank. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error("page failed to render", error, info.componentStack);
  }

  componentDidUpdate(previous: { resetKey?: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (this.state.error)
      return <ErrorState title="This page could not be shown" error={new Error("Something went wrong on this page. Try again, or go to another page.")} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
