// A message shown after «Сохранить» where it stands in a long form — often the form's top, out of
// sight while the user is at the button — is brought into view when it appears (a Svelte action).
import { tick } from "svelte";

export function intoView(node: HTMLElement): void {
  void tick().then(() => node.scrollIntoView?.({ block: "nearest" }));
}
