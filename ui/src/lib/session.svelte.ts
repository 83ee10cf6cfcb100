// Who is logged in, what their role may change, and the idle lock: screens ask `session.can(right)`
// to grey out what the core would refuse, with `session.why(right)` as the tooltip.
// The bridge is imported when first needed: the UI tests' setup sets a session before each test
// file mocks the bridge.
async function bridge(): Promise<typeof import("./api").api> {
  return (await import("./api")).api;
}
import type { Right } from "./bindings/Right";
import type { Role } from "./bindings/Role";
import type { Session } from "./bindings/Session";

export const ROLE_LABELS: Record<Role, string> = {
  head: "Руководитель",
  specialist: "Специалист",
  accountant: "Бухгалтер",
  viewer: "Наблюдатель",
};

/** Who may do it, for a tooltip: the roles of the default table (`staff::rights` in the core). */
const WHO: Record<Right, string> = {
  registry: "руководитель и специалисты",
  imports: "руководитель и специалисты",
  delete_snapshot: "руководитель",
  applications: "руководитель и специалисты",
  agreements: "руководитель и специалисты",
  sign_agreement: "руководитель",
  acts: "руководитель и специалисты",
  documents: "руководитель и специалисты",
  payments: "руководитель и бухгалтер",
  budget: "руководитель",
  catalog: "руководитель",
  settings: "руководитель",
  accounts: "руководитель",
  restore: "руководитель",
  output: "все сотрудники",
  own_password: "все сотрудники",
};

let current = $state<Session | null>(null);
let locked = $state(false);

export const session = {
  get current(): Session | null {
    return current;
  },
  get locked(): boolean {
    return locked;
  },
  set(s: Session | null): void {
    current = s;
    locked = false;
  },
  markLocked(): void {
    locked = true;
  },
  can(right: Right): boolean {
    return current?.rights.includes(right) ?? false;
  },
  /** The tooltip of a control the role cannot use; undefined when it can. */
  why(right: Right): string | undefined {
    if (session.can(right)) return undefined;
    const role = current ? ROLE_LABELS[current.role].toLowerCase() : "не выполнен вход";
    return `Недостаточно прав: это делает ${WHO[right]} (ваша роль — ${role})`;
  },
  async lock(): Promise<void> {
    if (!current || locked) return;
    locked = true;
    await (await bridge()).sessionLock().catch(() => {});
  },
  async logout(): Promise<void> {
    await (await bridge()).sessionLogout().catch(() => {});
    current = null;
    locked = false;
  },
};

/**
 * Locks the program after `minutes` without keyboard or mouse input. Returns the function that
 * stops watching. Forms stay on the screen under the lock: nothing typed is lost.
 */
export function watchIdle(minutes: number, onIdle: () => void, now: () => number = Date.now): () => void {
  let last = now();
  const touch = (): void => {
    last = now();
  };
  const events = ["keydown", "mousedown", "mousemove", "wheel", "touchstart"] as const;
  for (const e of events) window.addEventListener(e, touch, { passive: true });
  const timer = setInterval(() => {
    if (now() - last >= minutes * 60_000) {
      last = now();
      onIdle();
    }
  }, 5_000);
  return () => {
    clearInterval(timer);
    for (const e of events) window.removeEventListener(e, touch);
  };
}
