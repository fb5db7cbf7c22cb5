import { useOktaAuth } from "@okta/okta-react";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { can as canDo, sessionFrom, type Capability, type Session } from "./okta";

const SessionContext = createContext<Session | null>(null);

/** Who is signed in, kept current as tokens renew. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { oktaAuth, authState } = useOktaAuth();
  const [session, setSession] = useState<Session | null>(null);
  useEffect(() => {
    const update = () => {
      const tokens = oktaAuth.tokenManager.getTokensSync();
      setSession(sessionFrom(tokens.idToken, tokens.accessToken));
    };
    update();
    oktaAuth.tokenManager.on("renewed", update);
    oktaAuth.tokenManager.on("added", update);
    return () => {
      oktaAuth.tokenManager.off("renewed", update);
      oktaAuth.tokenManager.off("added", update);
    };
  }, [oktaAuth, authState]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session | null {
  return useContext(SessionContext);
}

export function useCan(capability: Capability): boolean {
  return canDo(useSession(), capability);
}

/** Only what the session's scopes allow: no approve button without payments:approve. */
export function Can({ capability, children, otherwise = null }: { capability: Capability; children: ReactNode; otherwise?: ReactNode }) {
  return <>{useCan(capability) ? children : otherwise}</>;
}

export { SessionContext };
