// What the login screens' tests answer for `session_status` and a logged-in specialist: one shape,
// each test giving only what its case changes.
import type { Session } from "../lib/bindings/Session";
import type { SessionStatus } from "../lib/bindings/SessionStatus";

/** Nobody logged in on the local file, no accounts yet listed; `extra` overrides. */
export function sessionStatus(extra: Partial<SessionStatus> = {}): SessionStatus {
  return {
    setup_needed: false,
    logins: [],
    session: null,
    locked: false,
    idle_lock_minutes: 15,
    staff_count: 0,
    centre_name: "",
    demo_password: null,
    server: null,
    password_store: false,
    password_remembered: false,
    ...extra,
  };
}

export const SPECIALIST: Session = {
  staff_id: 2,
  login: "petrov",
  full_name: "Петров Пётр Ильич",
  position: "Специалист",
  role: "specialist",
  rights: ["registry", "output", "own_password"],
  must_change_password: false,
};
