// The message of a failed save shown under one field of a form: the core names the field; a
// message without a field goes under `fallback` (the form's main field), so it is never lost.
import type { CoreError } from "./api";

export function fieldError(error: CoreError | null, field: string, fallback: string): string | undefined {
  if (!error) return undefined;
  if (error.field === field) return error.message;
  if (!error.field && field === fallback) return error.message;
  return undefined;
}
