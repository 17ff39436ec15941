/** With VITEST_JSON_DIR set (by .ci/run), each config also writes a JSON report there: `<name>.json`. */
export function reporters(name: string): { reporters?: string[]; outputFile?: Record<string, string> } {
  const dir = process.env.VITEST_JSON_DIR;
  if (!dir) return {};
  return { reporters: ['default', 'json'], outputFile: { json: `${dir}/${name}.json` } };
}
