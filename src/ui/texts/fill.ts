/** A text with its `{name}` placeholders filled in ("Hide {name}" → "Hide Email"); unknown ones stay as they are. */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
