/**
 * A real API process of the compiled CLI (`fieldcast start api`) on a fixed loopback port, for the
 * webhook ingress bench and the API kill -9 fault test: the server runs alone in its process (the
 * load client does not share its event loop), can be killed with SIGKILL and restarted on the same
 * URL (vendors keep calling the URL they were given; HubSpot v3 signs it), and reports its CPU time.
 * Lives in bench/ because test/ is not compiled and the bench runs the production build.
 */
import { createServer } from 'node:net';
import { CliProcess } from './cli-process';

/** A free loopback port (bound and released), so the API can be restarted on the same URL. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class ApiProcess extends CliProcess {
  readonly baseUrl: string;

  constructor(port: number, env: Record<string, string>, nodeArgs: string[] = []) {
    const baseUrl = `http://127.0.0.1:${port}`;
    super('api', env, nodeArgs, { HOST: '127.0.0.1', PORT: String(port), FIELDCAST_PUBLIC_URL: baseUrl });
    this.baseUrl = baseUrl;
  }
}
