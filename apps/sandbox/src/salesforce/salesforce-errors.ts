/**
 * Salesforce's error shapes. REST errors are a JSON array `[{message, errorCode, fields?}]`; per-record
 * save results use `statusCode` instead of `errorCode` (jsforce issue #1067).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import type { SandboxResponse } from '../common/sandbox-http';

export interface SalesforceSaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Thrown inside a route handler; the API wrapper turns it into the vendor's error array. */
export class SalesforceRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceRequestError';
  }
}

export function salesforceErrorResponse(status: number, errorCode: string, message: string, fields?: string[]): SandboxResponse {
  return { status, body: [fields ? { message, errorCode, fields } : { message, errorCode }] };
}

export const SALESFORCE_SESSION_EXPIRED = { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' };
