import { toRelativeUrl } from "@okta/okta-auth-js";
import { useOktaAuth } from "@okta/okta-react";
import { useEffect } from "react";
import { Outlet } from "react-router-dom";
import { PageLoading } from "../components/States";

/** Guards the console's routes (okta-react's SecureRoute is for react-router 5 only). */
export function RequiredAuth() {
  const { oktaAuth, authState } = useOktaAuth();
  useEffect(() => {
    if (authState && !authState.isAuthenticated) {
      oktaAuth.setOriginalUri(toRelativeUrl(window.location.href, window.location.origin));
      void oktaAuth.signInWithRedirect();
    }
  }, [oktaAuth, authState]);
  if (!authState?.isAuthenticated) return <PageLoading label="Signing you in…" />;
  return <Outlet />;
}
