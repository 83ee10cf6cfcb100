// Validation as the user types: asks the core (the one source of the rules) after a short pause,
// and drops answers that arrive after a newer question so a slow reply never shows stale errors.
import { errorsByField, type CoreError } from "./api";

export class LiveValidation<T> {
  /** Field name -> message, from the latest answer. */
  errors = $state<Record<string, string>>({});
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;
  #check: (value: T) => Promise<CoreError[]>;
  #delay: number;

  constructor(check: (value: T) => Promise<CoreError[]>, delayMs: number) {
    this.#check = check;
    this.#delay = delayMs;
  }

  /** Checks `value` once the user has paused typing. */
  schedule(value: T): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.run(value), this.#delay);
  }

  /** Checks now; resolves when the answer (if still the newest) is applied. */
  async run(value: T): Promise<void> {
    clearTimeout(this.#timer);
    const asked = ++this.#asked;
    try {
      const found = await this.#check(value);
      if (asked === this.#asked) this.errors = errorsByField(found);
    } catch {
      // Live checks only advise; a failing check must not block typing. Saving reports real errors.
    }
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#asked++;
  }
}
