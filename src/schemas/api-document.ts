/**
 * The OpenAPI document the Worker publishes at /api/v1/openapi.json (and the
 * reference page and the TypeScript client are made from): the routes'
 * registry, each operation's access said in words beside its `security`, and
 * an overview of keys, errors and webhooks.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_STATUS } from '../lib/errors';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Operation = { description?: string; security?: Array<Record<string, string[]>> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** The error codes grouped by their status: one line per status. */
const codes = Object.entries(
  Object.entries(ERROR_STATUS).reduce<Record<number, string[]>>((byStatus, [code, status]) => {
    (byStatus[status] ??= []).push(`\`${code}\``);
    return byStatus;
  }, {}),
)
  .map(([status, names]) => `- **${status}**: ${names.join(', ')}`)
  .join('\n');

const OVERVIEW = `Multichannel campaign attribution tracker.

**Keys.** Send \`Authorization: Bearer <key>\`. A key carries scopes; each operation names the scope it needs (a key with \`admin\` passes every check). Keys are minted with \`POST /api/v1/keys\` and shown once.

**Errors** answer \`{"error": {"code", "message"}}\` (the \`Error\` schema); each code has one status:

${codes}

**Webhooks.** Subscribed endpoints receive the events under *Webhooks* below, signed as the Standard Webhooks specification says.`;

/** Appends who may call an operation to its description. */
function withAccess(operation: Operation): string {
  const scopes = operation.security?.flatMap((requirement) => requirement.bearer ?? []) ?? [];
  const access =
    scopes.length === 0
      ? '**Access:** public, no key.'
      : `**Scope:** ${scopes.map((scope) => `\`${scope}\``).join(' or ')}${scopes.includes('admin') ? '' : ' (or `admin`)'}.`;
  return operation.description ? `${operation.description}\n\n${access}` : access;
}

const documents = new WeakMap<object, Document>();

/** The app's document (built once per app: it is plain data). */
export function apiDocument(app: Pick<OpenAPIHono, 'getOpenAPI31Document'>): Document {
  const cached = documents.get(app);
  if (cached) return cached;
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Touchpoint', version: '1', description: OVERVIEW },
  });
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) operation.description = withAccess(operation);
    }
  }
  documents.set(app, document);
  return document;
}
