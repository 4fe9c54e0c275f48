import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';

/** Salesforce outbound-message URLs carry the connection's secret as their last segment. */
export function redactPath(path: string): string {
  return path.replace(/^(\/webhooks\/salesforce\/[^/]+\/)[^/]+/, '$1***');
}

/** Turns every error into problem+json; unexpected errors are logged with their stack and answered without it. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: FieldcastLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = this.toProblem(exception, request);
    if (body.status >= 500 && !(exception instanceof HttpException)) {
      this.log.error({ err: exception, method: request.method, path: redactPath(request.path) }, 'unhandled error');
    }
    if (response.headersSent) return;
    const retryAfter = body['retryAfterSeconds'];
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(Math.ceil(retryAfter)));
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, request: Request): ProblemDetails {
    // Redacted like the log line: a Salesforce outbound URL carries its secret in the path.
    const path = request.originalUrl?.split('?')[0];
    const instance = path === undefined ? undefined : redactPath(path);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (payload && typeof payload === 'object' && 'type' in payload && 'status' in payload) {
        return { instance, ...(payload as ProblemDetails) };
      }
      if (payload && typeof payload === 'object') {
        const { message, error: _error, statusCode: _statusCode, ...rest } = payload as Record<string, unknown>;
        const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
        return problem(status, detail, { instance, ...rest });
      }
      return problem(status, String(payload), { instance });
    }
    const bodyParserError = exception as { type?: string; status?: number; message?: string; limit?: number };
    if (bodyParserError?.type === 'entity.too.large') {
      return problem(413, `The request body is larger than the limit of ${bodyParserError.limit} bytes.`, { instance });
    }
    if (bodyParserError?.type === 'entity.parse.failed') {
      return problem(400, `The request body is not valid JSON: ${bodyParserError.message}`, { instance });
    }
    return problem(500, 'An unexpected error occurred. It has been logged; please try again or contact the administrator.', { instance });
  }
}
