/**
 * What every REST call under /services/data goes through: version check, bearer token (401
 * INVALID_SESSION_ID when missing or expired, which makes jsforce refresh and replay), the daily API
 * allocation (403 REQUEST_LIMIT_EXCEEDED, not retried by jsforce) and the vendor error array for
 * anything a handler throws. The `Sforce-Limit-Info` header itself is added by the sandbox's decorate.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
import type { SandboxHandler, SandboxRequest, SandboxResponse } from '../common/sandbox-http';
import type { SandboxWriteLog } from '../common/sandbox-write-log';
import { SALESFORCE_SESSION_EXPIRED, SalesforceRequestError, salesforceErrorResponse } from './salesforce-errors';
import { bearerToken, type SalesforceOrgIdentity, type SalesforceTokenStore } from './salesforce-oauth';
import type { SalesforceActor, SalesforceStore } from './salesforce-store';

export class SalesforceApiUsage {
  used = 0;
  constructor(public limit: number) {}

  header(): string {
    return `api-usage=${this.used}/${this.limit}`;
  }
}

/** System permissions of the integration user's profile that field provisioning needs. */
export interface SalesforceIntegrationRights {
  /** "Customize Application": create custom fields through the Tooling API. */
  customizeApplication: boolean;
  /** "Manage Profiles and Permission Sets": write FieldPermissions. */
  managePermissionSets: boolean;
}

export const SALESFORCE_NO_ACCESS_MESSAGE =
  'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.';

export interface SalesforceApiContext {
  store: SalesforceStore;
  tokens: SalesforceTokenStore;
  usage: SalesforceApiUsage;
  org: SalesforceOrgIdentity;
  writeLog: SandboxWriteLog;
  rights: SalesforceIntegrationRights;
}

export type SalesforceApiHandler = (request: SandboxRequest, actor: SalesforceActor) => SandboxResponse | Promise<SandboxResponse>;

const VERSION = /^v(\d{2})\.0$/;

export function salesforceApi(ctx: SalesforceApiContext, handler: SalesforceApiHandler): SandboxHandler {
  return async (request) => {
    const version = request.params.version;
    if (version !== undefined && !VERSION.test(version)) {
      return salesforceErrorResponse(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    const userId = ctx.tokens.userFor(bearerToken(request));
    if (!userId) return salesforceErrorResponse(401, SALESFORCE_SESSION_EXPIRED.errorCode, SALESFORCE_SESSION_EXPIRED.message);
    if (ctx.usage.used >= ctx.usage.limit) return salesforceErrorResponse(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    ctx.usage.used += 1;
    try {
      return await handler(request, { userId, enforceFieldSecurity: true });
    } catch (error) {
      if (error instanceof SalesforceRequestError)
        return salesforceErrorResponse(error.status, error.errorCode, error.message, error.fields);
      if (error instanceof SyntaxError)
        return salesforceErrorResponse(400, 'JSON_PARSER_ERROR', `The request body is not valid JSON: ${error.message}`);
      throw error;
    }
  };
}

/** JSON body of a REST call; a clear JSON_PARSER_ERROR otherwise. */
export function salesforceJsonBody(request: SandboxRequest): unknown {
  const text = request.rawBody.toString('utf8');
  if (text.trim() === '')
    throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', 'The request body is empty; a JSON object was expected.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SalesforceRequestError(400, 'JSON_PARSER_ERROR', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}
