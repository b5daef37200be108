import { ERRORS, type ErrorCode } from '@congvu/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** A domain error with a stable code; the message shown is the code's Vietnamese text. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, details?: unknown, message?: string) {
    super(message ?? ERRORS[code].vi);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

export function errorBody(code: ErrorCode, details?: unknown, message?: string) {
  return details === undefined
    ? { code, message: message ?? ERRORS[code].vi }
    : { code, message: message ?? ERRORS[code].vi, details };
}

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const FASTIFY_CLIENT_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_ERROR',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_ERROR',
  FST_ERR_CTP_BODY_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_REQ_FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_FILES_LIMIT: 'BAD_REQUEST',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'BAD_REQUEST',
  FST_ERR_VALIDATION: 'VALIDATION_ERROR',
};

/** One handler for every error: stable codes, Vietnamese messages, no internals on a 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send(errorBody(err.code, err.details, err.message));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
      }));
      return reply.status(400).send(errorBody('VALIDATION_ERROR', details));
    }
    const mapped = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (mapped) return reply.status(ERRORS[mapped].status).send(errorBody(mapped));
    if (err.statusCode === 429) return reply.status(429).send(errorBody('RATE_LIMITED'));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send(errorBody('BAD_REQUEST'));
    }
    // Unique violations that a service did not anticipate are still the client's conflict,
    // but we do not know which field: log and answer a plain 500 without internals.
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL'));
  });
}
