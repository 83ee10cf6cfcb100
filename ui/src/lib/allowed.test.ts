import { describe, expect, it, vi } from "vitest";
import { allowed } from "./allowed";
import { session } from "./session.svelte";

describe("allowed", () => {
  it("greys out what the role may not do, says who may, and stops a click", () => {
    session.set({
      staff_id: 4,
      login: "view",
      full_name: "Смотрова Н. Н.",
      position: "",
      role: "viewer",
      rights: ["output", "own_password"],
      must_change_password: false,
    });
    const add = document.createElement("button");
    const clicked = vi.fn();
    add.addEventListener("click", clicked);
    allowed(add, "registry");
    expect(add.disabled).toBe(true);
    expect(add.title).toBe("Недостаточно прав: это делает руководитель и специалисты (ваша роль — наблюдатель)");
    add.removeAttribute("disabled");
    add.click();
    expect(clicked).not.toHaveBeenCalled();

    const print = document.createElement("button");
    allowed(print, "output");
    expect(print.disabled).toBe(false);
    expect(print.title).toBe("");
  });
});
