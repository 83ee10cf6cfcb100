// Open lists follow the database without a restart: the shell watches the database's change mark
// while someone works (`watch.rs`) and sends `data-changed` when it moved — a colleague saved
// something on the server, or another program wrote to the file; `liveData.version` grows and the
// lists that read it load again.
import { listen } from "@tauri-apps/api/event";

class LiveData {
  /** Grows with each change seen; lists read it in their loading effect. */
  version = $state(0);

  /** Listens while the returned function is not called (an `$effect`'s cleanup). */
  watch(): () => void {
    let stop: (() => void) | null = null;
    let stopped = false;
    listen("data-changed", () => this.version++)
      .then((unlisten) => (stopped ? unlisten() : (stop = unlisten)))
      .catch(() => {
        // Outside the app (UI tests without the bridge): nothing to follow.
      });
    return () => {
      stopped = true;
      stop?.();
    };
  }
}

export const liveData = new LiveData();
