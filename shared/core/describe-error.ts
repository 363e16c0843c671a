/** Short text for an error: its name and message, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message && error.message !== error.name ? `${error.name}: ${error.message}` : error.name;
  }
  return String(error);
}
