/**
 * Where Fieldcast may send a connection's credentials. Vendor base URLs must be on the vendor's own
 * domains over https; loopback and private addresses (the local sandboxes) only in demo mode, so a
 * stolen admin session cannot point stored tokens at an internal service.
 */
import type { FieldcastConfig } from '@fieldcast/config';

const VENDOR_HOSTS: Record<string, RegExp> = {
  salesforce: /(^|\.)(salesforce\.com|force\.com|cloudforce\.com)$/i,
  hubspot: /(^|\.)(hubapi\.com|hubspot\.com)$/i,
  zendesk: /^[a-z0-9][a-z0-9-]*\.zendesk\.com$/i,
};

const PRIVATE_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i;

export function demoModeAllowed(config: FieldcastConfig): boolean {
  return config.FIELDCAST_DEMO === 'true' || (config.FIELDCAST_DEMO === 'auto' && config.NODE_ENV !== 'production');
}

/** The local sandbox of a vendor (`npm run sandbox`), used as the default in demo mode. */
export function sandboxBaseUrl(config: FieldcastConfig, vendor: string): string | undefined {
  const ports: Record<string, number> = {
    salesforce: config.SANDBOX_SALESFORCE_PORT,
    hubspot: config.SANDBOX_HUBSPOT_PORT,
    zendesk: config.SANDBOX_ZENDESK_PORT,
  };
  return ports[vendor] ? `http://127.0.0.1:${ports[vendor]}` : undefined;
}

/** Returns a problem in words, or null when the URL is acceptable; `isPrivate` marks sandbox/demo targets. */
export function checkVendorBaseUrl(
  config: FieldcastConfig,
  vendor: string,
  raw: string,
): { problem: string } | { url: string; isPrivate: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `expected an absolute URL like ${example(vendor)}` };
  }
  if (url.username || url.password) return { problem: 'the URL must not contain a user name or password' };
  const isPrivate = PRIVATE_HOST.test(url.hostname);
  if (isPrivate) {
    if (!demoModeAllowed(config))
      return { problem: 'loopback and private addresses are only allowed in demo mode (FIELDCAST_DEMO=true, not in production)' };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'expected an http(s) URL' };
    return { url: url.origin, isPrivate };
  }
  if (url.protocol !== 'https:') return { problem: `expected an https URL like ${example(vendor)}` };
  const allowed = VENDOR_HOSTS[vendor];
  if (!allowed || !allowed.test(url.hostname))
    return { problem: `${url.hostname} is not a ${vendor} host; expected a URL like ${example(vendor)}` };
  return { url: url.origin, isPrivate };
}

function example(vendor: string): string {
  return (
    { salesforce: 'https://login.salesforce.com', hubspot: 'https://api.hubapi.com', zendesk: 'https://yourcompany.zendesk.com' }[vendor] ??
    'https://vendor.example.com'
  );
}

/** Reads a sandbox's demo credentials (`GET /__sandbox/credentials`); only ever called for private demo URLs. */
export async function fetchSandboxCredentials(baseUrl: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/__sandbox/credentials`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`the sandbox at ${baseUrl} answered ${response.status} to /__sandbox/credentials`);
  return (await response.json()) as Record<string, unknown>;
}
