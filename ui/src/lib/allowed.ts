// `use:allowed={"right"}` on a button: greys it out with the reason as its tooltip when the logged-in
// role may not do it (the core would refuse anyway), and stops a click that gets through.
import type { Right } from "./bindings/Right";
import { session } from "./session.svelte";
import { toast } from "./toast.svelte";

export function allowed(node: HTMLElement, right: Right): { destroy: () => void } {
  const why = session.why(right);
  if (why) {
    node.setAttribute("disabled", "");
    node.setAttribute("aria-disabled", "true");
    node.title = why;
    node.dataset.notAllowed = right;
  }
  const block = (e: Event): void => {
    if (!why) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    toast.show(why);
  };
  node.addEventListener("click", block, true);
  return { destroy: () => node.removeEventListener("click", block, true) };
}
