/** One table of error codes and their HTTP statuses, one error class, one envelope. */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const ERROR_STATUS = {
  validation_error: 400,
  invalid_json: 400,
  invalid_code: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_code: 404,
  conflict: 409,
  slug_taken: 409,
  draw_not_closed: 409,
  gone: 410,
  code_used_up: 410,
  code_expired: 410,
  code_not_started: 410,
  customer_limit_reached: 410,
  out_of_stock: 410,
  payload_too_large: 413,
  unprocessable: 422,
  below_minimum_order: 422,
  insufficient_points: 422,
  member_limit_reached: 422,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** An error that reaches the client as `{error: {code, message}}` with the code's status. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(ERROR_STATUS[code], { message });
    this.code = code;
    this.headers = headers;
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const notFound = (what: string): ApiError => new ApiError('not_found', `${what} not found`);
