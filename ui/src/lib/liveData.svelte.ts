// Open lists follow the database without a restart: the shell watches the database's change mark
// while someone works (`watch.rs`) and sends `data-changed` when it moved — a colleague saved
// something on the server, or another program wrote to the file; `liveData.version` grows and the
// lists that read it load again. The same watch sends `server-link` when the centre's server stops
// or starts answering: `liveData.linked` (the shell's `LinkStatus` says so).
import { listen } from "@tauri-apps/api/event";

class LiveData {
  /** Grows with each change seen; lists read it in their loading effect. */
  version = $state(0);
  /** False while the centre's server does not answer (always true on the local file). */
  linked = $state(true);

  /** Listens while the returned function is not called (an `$effect`'s cleanup). */
  watch(): () => void {
    this.linked = true;
    const stops: Array<() => void> = [];
    let stopped = false;
    const follow = <T>(event: string, handler: (payload: T) => void) =>
      listen<T>(event, (e) => handler(e.payload))
        .then((unlisten) => (stopped ? unlisten() : stops.push(unlisten)))
        .catch(() => {
          // Outside the app (UI tests without the bridge): nothing to follow.
        });
    void follow("data-changed", () => this.version++);
    void follow<boolean>("server-link", (linked) => (this.linked = linked));
    return () => {
      stopped = true;
      for (const stop of stops.splice(0)) stop();
    };
  }
}

export const liveData = new LiveData();
