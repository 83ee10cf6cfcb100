// The short confirmation shown after a successful action («Реквизиты сохранены»); one at a time.
let current = $state<{ text: string; id: number } | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;
let counter = 0;

export const toast = {
  get current() {
    return current;
  },
  show(text: string, ms = 4000): void {
    clearTimeout(timer);
    current = { text, id: ++counter };
    timer = setTimeout(() => (current = null), ms);
  },
  hide(): void {
    clearTimeout(timer);
    current = null;
  },
};
