// The staff list shared by the header (who is working) and the settings screen (who may be chosen).
import { api } from "./api";
import type { Staff } from "./bindings/Staff";

let list = $state<Staff[]>([]);
let loaded = $state(false);

export const staff = {
  get list(): Staff[] {
    return list;
  },
  /** True once the list has come from the database (an empty list then means "no staff"). */
  get loaded(): boolean {
    return loaded;
  },
  get active(): Staff[] {
    return list.filter((s) => s.active);
  },
  async load(): Promise<void> {
    list = await api.staffList();
    loaded = true;
  },
  replace(updated: Staff): void {
    const i = list.findIndex((s) => s.id === updated.id);
    if (i >= 0) list[i] = updated;
    else list.push(updated);
  },
};
