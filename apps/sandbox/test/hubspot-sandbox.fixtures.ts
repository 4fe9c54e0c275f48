/** Shared setup for the HubSpot sandbox e2e tests: a sandbox on a random port and a real SDK client. */
import { Client } from '@hubspot/api-client';
import { createHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from '../src/hubspot/hubspot.sandbox';

export interface HubSpotTestBed {
  sandbox: HubSpotSandbox;
  baseUrl: string;
  accessToken: string;
  refreshToken: string;
  client(options?: { numberOfApiCallRetries?: number; accessToken?: string }): Client;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function startHubSpotTestBed(options: HubSpotSandboxOptions = {}): Promise<HubSpotTestBed> {
  const sandbox = createHubSpotSandbox(options);
  const baseUrl = await sandbox.start(0);
  const creds = sandbox.credentials() as { accessToken: string; refreshToken: string };
  const bed: HubSpotTestBed = {
    sandbox,
    baseUrl,
    accessToken: creds.accessToken,
    refreshToken: creds.refreshToken,
    client: (o = {}) =>
      new Client({
        // The demo token is re-issued when an earlier test expired it.
        accessToken: o.accessToken ?? (sandbox.credentials() as { accessToken: string }).accessToken,
        basePath: baseUrl,
        ...(o.numberOfApiCallRetries ? { numberOfApiCallRetries: o.numberOfApiCallRetries } : {}),
      }),
    control: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${baseUrl}/__sandbox${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
  };
  return bed;
}

/** The SDK throws ApiException {code, body, headers}; this returns it (or fails the test when nothing was thrown). */
export async function hubSpotFailure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown>; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; body: Record<string, unknown>; headers: Record<string, string> };
  }
  throw new Error('expected the SDK call to fail, but it resolved');
}
