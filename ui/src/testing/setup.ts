// Every UI test starts logged in as a head with every right (screens grey out what a role may not
// do); tests of logging in and of rights set their own session.
import { session } from "../lib/session.svelte";

session.set({
  staff_id: 1,
  login: "head",
  full_name: "Руководитель Тестовый",
  position: "Директор",
  role: "head",
  rights: [
    "registry",
    "imports",
    "delete_snapshot",
    "applications",
    "agreements",
    "sign_agreement",
    "acts",
    "documents",
    "payments",
    "budget",
    "catalog",
    "settings",
    "accounts",
    "restore",
    "output",
    "own_password",
  ],
  must_change_password: false,
});
